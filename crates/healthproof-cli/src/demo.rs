//! `healthproof demo build`: the demo dataset in `examples/`, made the way real operators
//! would make it (issue, log, witness, prove, present) but deterministically: demo keys come
//! from public labels, salts from a counter, times are fixed. Regenerating gives the same
//! bytes. The demo keys are published by construction: never trust them outside the demo.

use std::path::Path;

use healthproof::base64;
use healthproof::ips;
use healthproof::json;
use healthproof::note::{KeyType, VerifierKey};
use healthproof::presentation::Presentation;
use healthproof::record::{self, Issuance};
use healthproof::sd_jwt::{Disclosure, SdJwt};
use healthproof::signer::{sign_note, NoteSigner};
use sha2::{Digest, Sha256};

use crate::log::{self, write_atomic};
use crate::{witness, Failure};

const DAY: u64 = 86_400;
/// 2026-11-16T00:00:00Z: the witnesses cosign the first batch.
const COSIGNED: u64 = 1_794_787_200;
/// 2026-11-20T00:00:00Z: the second batch is cosigned and the trust list issued.
const COSIGNED2: u64 = COSIGNED + 4 * DAY;
const ORIGIN: &str = "ledger.healthproof.example/demo";

struct DemoIssuer {
    kid: &'static str,
    country: &'static str,
    organisation: &'static str,
    not_before: u64,
    not_after: u64,
    revoked: Option<(u64, &'static str)>,
}

/// One issuer per country; names are fictional, marked "(demo)".
const ISSUERS: &[DemoIssuer] = &[
    DemoIssuer {
        kid: "de-ukbm-2026",
        country: "DE",
        organisation: "Universitätsklinikum Berlin-Mitte (demo)",
        not_before: 1_767_225_600,
        not_after: 1_830_297_600,
        revoked: None,
    },
    DemoIssuer {
        kid: "ee-tyk-2026",
        country: "EE",
        organisation: "Tartu Ülikooli Kliinikum (demo)",
        not_before: 1_767_225_600,
        not_after: 1_830_297_600,
        revoked: None,
    },
    DemoIssuer {
        kid: "es-hub-2026",
        country: "ES",
        organisation: "Hospital Universitario de Barcelona (demo)",
        not_before: 1_767_225_600,
        not_after: 1_830_297_600,
        revoked: Some((COSIGNED + 2 * DAY, "key compromise reported by the hospital")),
    },
    DemoIssuer {
        kid: "fr-chup-2026",
        country: "FR",
        organisation: "Centre Hospitalier Universitaire de Paris-Est (demo)",
        not_before: 1_767_225_600,
        not_after: 1_830_297_600,
        revoked: None,
    },
    DemoIssuer {
        kid: "it-pom-2026",
        country: "IT",
        organisation: "Policlinico Ospedale di Milano (demo)",
        not_before: 1_767_225_600,
        not_after: 1_830_297_600,
        revoked: None,
    },
    DemoIssuer {
        kid: "nl-auc-2026",
        country: "NL",
        organisation: "Academisch Ziekenhuis Utrecht-Centrum (demo)",
        not_before: 1_767_225_600,
        not_after: 1_830_297_600,
        revoked: None,
    },
    DemoIssuer {
        kid: "pl-sukr-2026",
        country: "PL",
        organisation: "Szpital Uniwersytecki w Krakowie (demo)",
        not_before: 1_767_225_600,
        not_after: 1_830_297_600,
        revoked: None,
    },
    DemoIssuer {
        kid: "pt-hsml-2025",
        country: "PT",
        organisation: "Hospital de Santa Maria Lisboa (demo)",
        not_before: 1_735_689_600,
        not_after: 1_793_491_200,
        revoked: None,
    },
    DemoIssuer {
        kid: "pt-hsml-2026",
        country: "PT",
        organisation: "Hospital de Santa Maria Lisboa (demo)",
        not_before: 1_767_225_600,
        not_after: 1_830_297_600,
        revoked: None,
    },
];

/// Patients: bundle file, issuer kid, issue time, partial disclosure.
const PATIENTS: &[(&str, &str, u64, &str)] = &[
    (
        "de-anna-schmidt",
        "de-ukbm-2026",
        1_794_182_400,
        "name,birthDate,allergies,medications,problems",
    ),
    ("ee-liisa-kask", "ee-tyk-2026", 1_794_268_800, "name,allergies,medications"),
    (
        "es-mateo-fernandez-ruiz",
        "es-hub-2026",
        1_794_355_200,
        "name,birthDate,immunizations,allergies",
    ),
    ("fr-camille-lefevre", "fr-chup-2026", 1_794_441_600, "name,allergies,medications,problems"),
    ("it-giuseppe-russo", "it-pom-2026", 1_794_528_000, "name,medications,problems,results"),
    (
        "nl-johanna-van-den-berg",
        "nl-auc-2026",
        1_794_614_400,
        "name,birthDate,allergies,medications,problems,devices",
    ),
    ("pl-krzysztof-wisniewski", "pl-sukr-2026", 1_794_700_800, "name,allergies,medications"),
    ("pt-joao-pereira", "pt-hsml-2026", 1_794_700_800, "name,allergies,immunizations"),
];

fn seed(label: &str) -> [u8; 32] {
    Sha256::digest(format!("healthproof demo key: {label}")).into()
}

fn signer(name: &str, key_type: KeyType) -> Result<NoteSigner, Failure> {
    Ok(NoteSigner::new(name, key_type, &seed(name))?)
}

/// Builds the dataset into `out` (bundles are read from `out/bundles`), with `filler`
/// synthetic entries in the log around the demo records.
pub fn build(out: &Path, filler: u64) -> Result<String, Failure> {
    let keys_dir = out.join(".keys");
    let trust = signer("trust.healthproof.example/demo", KeyType::Ed25519)?;
    let log_signer = signer(ORIGIN, KeyType::Ed25519)?;
    let witnesses: Vec<NoteSigner> = ["witness-eu-north", "witness-eu-south", "witness-eu-west"]
        .iter()
        .map(|n| signer(&format!("{n}.healthproof.example"), KeyType::CosignatureV1))
        .collect::<Result<_, _>>()?;
    write_atomic(
        &keys_dir.join("log.key"),
        format!("{}\n", log_signer.to_private_string()).as_bytes(),
    )?;
    for (n, w) in witnesses.iter().enumerate() {
        write_atomic(
            &keys_dir.join(format!("w{n}.key")),
            format!("{}\n", w.to_private_string()).as_bytes(),
        )?;
    }

    // The trust list.
    let mut list = format!(
        "healthproof/trust-list/v1\nsequence 1\nissued {COSIGNED2}\nsigner {}\nlog {}\n",
        trust.verifier(),
        log_signer.verifier()
    );
    for (name, w) in ["north", "south", "west"].iter().zip(&witnesses) {
        list += &format!("witness {name} {}\n", w.verifier());
    }
    list += "group eu-witnesses 2 north south west\nquorum eu-witnesses\n";
    for i in ISSUERS {
        let key = NoteSigner::new(i.kid, KeyType::Ed25519, &seed(i.kid))?;
        list += &format!(
            "issuer {} {} {} {} {} {}\n",
            i.kid,
            i.country,
            i.not_before,
            i.not_after,
            base64::encode(&key.verifier().public_key()),
            i.organisation
        );
    }
    for i in ISSUERS {
        if let Some((at, reason)) = i.revoked {
            list += &format!("revoked {} {at} {reason}\n", i.kid);
        }
    }
    write_atomic(
        &out.join("trust-list.txt"),
        sign_note(&list, &[&trust], 0)?.to_string().as_bytes(),
    )?;
    write_atomic(&out.join("trust-list-signer.txt"), format!("{}\n", trust.verifier()).as_bytes())?;

    // Records: the eight patients, plus the failing cases' records.
    let mut counter = 0u64;
    let mut salt = move || {
        counter += 1;
        base64::encode_url(&seed(&format!("salt {counter}"))[..16])
    };
    let load = |bundle: &str| -> Result<json::Value, Failure> {
        let text = std::fs::read_to_string(out.join(format!("bundles/{bundle}.json")))
            .map_err(|e| Failure::Usage(format!("bundles/{bundle}.json: {e}")))?;
        Ok(json::parse(&text)?)
    };
    let mut issue = |kid: &str, iat: u64, bundle: &json::Value| -> Result<SdJwt, Failure> {
        let claims = ips::claims_from_bundle(bundle)?;
        let iss = format!("https://{kid}.healthproof.example");
        let input = Issuance { iss: &iss, iat, kid, claims: &claims, status: None, decoys: 0 };
        Ok(record::issue(&input, &seed(kid), &mut salt)?)
    };
    let mut records: Vec<(String, SdJwt, &'static str)> = Vec::new();
    for (file, kid, iat, partial) in PATIENTS {
        records.push(((*file).to_owned(), issue(kid, *iat, &load(file)?)?, partial));
    }
    // A record that verifies but carries markup and script in every human-readable field:
    // the pages and the extension must show it as text and run none of it.
    let anna = hostile(&load("de-anna-schmidt")?, "");
    records.push((
        "hostile-markup".into(),
        issue("de-ukbm-2026", 1_794_182_400, &anna)?,
        "name,birthDate,allergies,medications,problems",
    ));
    // Failing cases: a record issued with the expired Portuguese 2025 key; one signed by a
    // hospital key nobody trusts; and, pushed last because it is the second batch, one issued
    // with the Spanish key after its revocation.
    records.push((
        "expired-key".into(),
        issue("pt-hsml-2025", 1_794_700_800, &load("pt-joao-pereira")?)?,
        "name,allergies",
    ));
    records.push((
        "untrusted-issuer".into(),
        issue("xx-clinic-2026", 1_794_700_800, &load("pt-joao-pereira")?)?,
        "name,allergies",
    ));
    let after = issue("es-hub-2026", COSIGNED + 3 * DAY, &load("es-mateo-fernandez-ruiz")?)?;
    records.push(("revoked-key-after-revocation".into(), after, "name,immunizations"));

    // The log. Batch 1: the records spread among `filler` synthetic entries, witnessed on
    // 2026-11-16, proofs taken then (a holder keeps the proof of issuance). Batch 2: the
    // record issued after the Spanish key's revocation, witnessed on 2026-11-20.
    let log_dir = out.join("log");
    let _ = std::fs::remove_dir_all(&log_dir);
    log::init(&log_dir, ORIGIN, &keys_dir.join("log.key"))?;
    let log_key = log_signer.verifier().clone();
    let witness_keys: Vec<VerifierKey> = witnesses.iter().map(|s| s.verifier().clone()).collect();
    let cosign = |time: u64| -> Result<String, Failure> {
        for (n, w) in ["w0.key", "w1.key"].iter().enumerate() {
            let state = out.join(format!(".witness-{n}"));
            let wit = witness::Witness::new(
                &keys_dir.join(w),
                vec![(ORIGIN.to_owned(), log_key.clone())],
                &state,
            )?;
            let (line, _) = wit.cosign_log(log_dir.to_str().unwrap_or_default(), time)?;
            log::add_cosignatures(&log_dir, &witness_keys, &[line.trim_end().to_owned()])?;
        }
        log::checkpoint(&log_dir)
    };
    for n in 0..2 {
        let _ = std::fs::remove_dir_all(out.join(format!(".witness-{n}")));
    }
    let (batch2, batch1) =
        records.split_last().ok_or_else(|| Failure::Usage("no records".into()))?;
    let ledger: Vec<Vec<u8>> =
        batch1.iter().map(|(_, r, _)| r.jwt().as_str().as_bytes().to_vec()).collect();
    let step = (filler / ledger.len() as u64).max(1);
    let mut placed = 0usize;
    let mut entries = (0..filler).flat_map(|i| {
        let mut batch = Vec::new();
        if i % step == step / 2 && placed < ledger.len() {
            batch.push(ledger.get(placed).cloned().unwrap_or_default());
            placed += 1;
        }
        let digest = Sha256::digest(format!("synthetic ledger entry {i}"));
        batch.push(format!("demo-entry {i} {}", base64::encode_url(&digest)).into_bytes());
        batch
    });
    log::append(&log_dir, &mut (&mut entries).map(Ok), Some(filler + ledger.len() as u64))?;
    let rest: Vec<Result<Vec<u8>, Failure>> =
        ledger.get(placed..).unwrap_or_default().iter().cloned().map(Ok).collect();
    log::append(&log_dir, &mut rest.into_iter(), None)?;
    let first = cosign(COSIGNED)?;
    let mut summary = String::new();
    let mut publish = |name: &str,
                       record: &SdJwt,
                       partial: &str,
                       checkpoint: &str|
     -> Result<(), Failure> {
        let (proof, _) = log::prove(
            log_dir.to_str().unwrap_or_default(),
            None,
            Some(record.jwt().as_str().as_bytes()),
        )?;
        write_atomic(
            &out.join(format!("records/{name}.sd-jwt")),
            format!("{record}\n").as_bytes(),
        )?;
        write_atomic(&out.join(format!("proofs/{name}.tlog-proof")), proof.to_string().as_bytes())?;
        let full = Presentation::new(record.clone(), proof.clone());
        let keep: Vec<&str> = partial.split(',').collect();
        let part = full.select(|d: &Disclosure| d.name().is_some_and(|n| keep.contains(&n)));
        if name == "hostile-markup" || PATIENTS.iter().any(|(p, ..)| *p == name) {
            write_atomic(
                &out.join(format!("presentations/{name}-full.hproof")),
                full.to_string().as_bytes(),
            )?;
        }
        write_atomic(
            &out.join(format!("presentations/{name}-partial.hproof")),
            part.to_string().as_bytes(),
        )?;
        summary +=
            &format!("{name}: entry {} of {}\n", proof.leaf_index(), log_tree_size(checkpoint));
        Ok(())
    };
    for (name, record, partial) in batch1 {
        publish(name, record, partial, &first)?;
    }
    let more: Vec<Result<Vec<u8>, Failure>> =
        std::iter::once(Ok(batch2.1.jwt().as_str().as_bytes().to_vec()))
            .chain((0..1000).map(|i| Ok(format!("demo-entry late {i}").into_bytes())))
            .collect();
    log::append(&log_dir, &mut more.into_iter(), None)?;
    let second = cosign(COSIGNED2)?;
    publish(&batch2.0, &batch2.1, batch2.2, &second)?;
    write_atomic(&out.join("checkpoint.txt"), second.as_bytes())?;

    // A tampered presentation: the partial French one with its allergy disclosure altered.
    let fr = std::fs::read_to_string(out.join("presentations/fr-camille-lefevre-partial.hproof"))
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let parsed = Presentation::parse(fr.as_bytes())?;
    let mut disclosures = parsed.sd_jwt().disclosures().to_vec();
    if let Some(d) = disclosures.iter_mut().find(|d| d.name() == Some("allergies")) {
        *d = Disclosure::new_property(
            "dGFtcGVyZWQ",
            "allergies",
            &json::parse(
                r#"{"code":"48765-2","title":"Allergies","text":"Aucune allergie connue","entries":[]}"#,
            )?,
        );
    }
    let tampered = Presentation::new(
        SdJwt::new(parsed.sd_jwt().jwt().clone(), disclosures),
        parsed.proof().clone(),
    );
    write_atomic(&out.join("presentations/tampered.hproof"), tampered.to_string().as_bytes())?;
    Ok(summary)
}

/// Fields a person reads, in FHIR: these get the hostile payload in `hostile-markup`.
const TEXT_FIELDS: &[&str] = &[
    "display",
    "text",
    "div",
    "title",
    "family",
    "given",
    "prefix",
    "name",
    "valueString",
    "note",
];
/// Markup that would run script if any viewer inserted record text as HTML.
const HOSTILE: &str =
    "<script>window.__hpPwned=1</script><img src=x onerror=\"window.__hpPwned=1\">";

/// `value` with the hostile payload prepended to every string under a [`TEXT_FIELDS`] name.
fn hostile(value: &json::Value, key: &str) -> json::Value {
    match value {
        json::Value::String(s) if TEXT_FIELDS.contains(&key) => {
            json::Value::String(format!("{HOSTILE}{s}"))
        }
        json::Value::Array(items) => {
            json::Value::Array(items.iter().map(|v| hostile(v, key)).collect())
        }
        json::Value::Object(object) => {
            let mut copy = json::Object::default();
            for (name, v) in object.members() {
                let text = TEXT_FIELDS.contains(&key) && key != "text";
                copy.insert(name.clone(), hostile(v, if text { key } else { name }));
            }
            json::Value::Object(copy)
        }
        other => other.clone(),
    }
}

fn log_tree_size(checkpoint: &str) -> u64 {
    checkpoint.lines().nth(1).and_then(|l| l.parse().ok()).unwrap_or(0)
}
