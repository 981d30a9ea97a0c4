//! Generates `tests/vectors/records/`: one JSON file per adversarial case of a HealthProof
//! record presentation, with the verdict, check and code the verifier must report.
//!
//! Deterministic: keys from fixed labels, salts from a counter, fixed times. The keys are
//! test keys derived from public labels; never trust them for anything else.

use std::collections::BTreeMap;
use std::path::Path;

use healthproof::ips::{self, Claims};
use healthproof::json::{self, Value};
use healthproof::jws;
use healthproof::merkle::{self, Hash};
use healthproof::note::{KeyType, Note, Signature};
use healthproof::presentation::Presentation;
use healthproof::proof::TlogProof;
use healthproof::record::{self, Issuance};
use healthproof::sd_jwt::{Disclosure, SdJwt};
use healthproof::signer::{add_signature, sign_note, NoteSigner};
use healthproof::status::{self, StatusReference};
use healthproof::{base64, Error};
use serde_json::json;

use crate::testdata::{seed, signer};

const LOG: &str = "ledger.healthproof.example/test";
const DAY: u64 = 86_400;
/// 2026-10-31T00:00:00Z: when the test records were issued.
const IAT: u64 = 1_793_404_800;
/// 2026-11-01T00:00:00Z: when the witnesses cosigned.
const COSIGNED: u64 = 1_793_491_200;
/// 2026-11-08T00:00:00Z: "now" for most cases.
const NOW: u64 = 1_794_096_000;
const STATUS_URI: &str = "https://status.healthproof.example/de/1";
/// What every text field of the hostile record contains.
pub const HOSTILE: &str = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'&amp;";

struct Issuer {
    kid: &'static str,
    country: &'static str,
    organisation: &'static str,
    nbf: u64,
    naf: u64,
    revoked: Option<(u64, &'static str)>,
}

const ISSUERS: &[Issuer] = &[
    Issuer {
        kid: "de-charite-2026",
        country: "DE",
        organisation: "Charité Universitätsmedizin Berlin (test)",
        nbf: IAT - 300 * DAY,
        naf: IAT + 400 * DAY,
        revoked: None,
    },
    Issuer {
        kid: "fr-aphp-2026",
        country: "FR",
        organisation: "Assistance Publique – Hôpitaux de Paris (test)",
        nbf: IAT - 300 * DAY,
        naf: IAT + 400 * DAY,
        revoked: None,
    },
    Issuer {
        kid: "es-revoked-late",
        country: "ES",
        organisation: "Hospital Clínic de Barcelona (test)",
        nbf: IAT - 300 * DAY,
        naf: IAT + 400 * DAY,
        revoked: Some((COSIGNED + 2 * DAY, "key compromise")),
    },
    Issuer {
        kid: "it-revoked-early",
        country: "IT",
        organisation: "Policlinico di Milano (test)",
        nbf: IAT - 300 * DAY,
        naf: IAT + 400 * DAY,
        revoked: Some((IAT - 10 * DAY, "key compromise")),
    },
    Issuer {
        kid: "ee-expired",
        country: "EE",
        organisation: "Tartu Ülikooli Kliinikum (test)",
        nbf: IAT - 400 * DAY,
        naf: IAT - 30 * DAY,
        revoked: None,
    },
    Issuer {
        kid: "pl-future",
        country: "PL",
        organisation: "Szpital Uniwersytecki w Krakowie (test)",
        nbf: IAT + 30 * DAY,
        naf: IAT + 400 * DAY,
        revoked: None,
    },
];

fn issuer_seed(kid: &str) -> [u8; 32] {
    seed(&format!("issuer {kid}"))
}

fn trust_list_text(
    sequence: u64,
    issued: u64,
    log: &NoteSigner,
    witnesses: &[NoteSigner],
    next: &NoteSigner,
) -> String {
    use ed25519_dalek::SigningKey;
    let mut t = format!(
        "healthproof/trust-list/v1\nsequence {sequence}\nissued {issued}\nsigner {}\n",
        next.verifier()
    );
    t += &format!("log {}\n", log.verifier());
    for (name, w) in ["a", "b", "c"].iter().zip(witnesses) {
        t += &format!("witness {name} {}\n", w.verifier());
    }
    t += "group witnesses 2 a b c\nquorum witnesses\n";
    for i in ISSUERS {
        let key = SigningKey::from_bytes(&issuer_seed(i.kid)).verifying_key();
        t += &format!(
            "issuer {} {} {} {} {} {}\n",
            i.kid,
            i.country,
            i.nbf,
            i.naf,
            base64::encode(key.as_bytes()),
            i.organisation
        );
    }
    for i in ISSUERS {
        if let Some((at, reason)) = i.revoked {
            t += &format!("revoked {} {at} {reason}\n", i.kid);
        }
    }
    t
}

/// A small IPS document Bundle in FHIR R4 form; `hostile` replaces every text field.
fn bundle(hostile: Option<&str>) -> Value {
    let q = |plain: &str| serde_json::to_string(hostile.unwrap_or(plain)).unwrap_or_default();
    let narrative = hostile.unwrap_or("Siehe Einträge.");
    let (family, allergy, medication, condition, vaccine, dosage) = (
        q("Schmidt"),
        q("Penicillin: Hautausschlag"),
        q("Ramipril 5 mg"),
        q("Arterielle Hypertonie"),
        q("Hepatitis-B-Impfstoff"),
        q("1-0-0, morgens"),
    );
    let section = |code: &str, title: &str, refs: &[&str]| {
        let entries: Vec<String> =
            refs.iter().map(|r| format!(r#"{{"reference":"{r}"}}"#)).collect();
        format!(
            r#"{{"title":"{title}","code":{{"coding":[{{"system":"http://loinc.org","code":"{code}"}}]}},"text":{{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">{}</div>"}},"entry":[{}]}}"#,
            narrative.replace('"', "\\\"").replace('<', "&lt;").replace('>', "&gt;"),
            entries.join(",")
        )
    };
    let sections = [
        section("48765-2", "Allergien und Intoleranzen", &["urn:uuid:a1"]),
        section("10160-0", "Medikation", &["urn:uuid:m1"]),
        section("11450-4", "Probleme", &["urn:uuid:c1"]),
        section("11369-6", "Impfungen", &["urn:uuid:i1"]),
    ];
    let doc = format!(
        r#"{{"resourceType":"Bundle","type":"document","entry":[
{{"fullUrl":"urn:uuid:comp","resource":{{"resourceType":"Composition","status":"final","subject":{{"reference":"urn:uuid:p1"}},"title":"Patientenkurzakte","section":[{}]}}}},
{{"fullUrl":"urn:uuid:p1","resource":{{"resourceType":"Patient","name":[{{"family":{family},"given":["Anna"]}}],"gender":"female","birthDate":"1980-04-12","identifier":[{{"system":"urn:oid:1.2.276.0.76.4.8","value":"X123456789"}}]}}}},
{{"fullUrl":"urn:uuid:a1","resource":{{"resourceType":"AllergyIntolerance","code":{{"coding":[{{"system":"http://snomed.info/sct","code":"91936005","display":"Allergy to penicillin"}}],"text":{allergy}}}}}}},
{{"fullUrl":"urn:uuid:m1","resource":{{"resourceType":"MedicationStatement","status":"active","medicationCodeableConcept":{{"coding":[{{"system":"http://www.whocc.no/atc","code":"C09AA05","display":"ramipril"}}],"text":{medication}}},"dosage":[{{"text":{dosage}}}]}}}},
{{"fullUrl":"urn:uuid:c1","resource":{{"resourceType":"Condition","code":{{"coding":[{{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertensive disorder"}}],"text":{condition}}}}}}},
{{"fullUrl":"urn:uuid:i1","resource":{{"resourceType":"Immunization","status":"completed","vaccineCode":{{"coding":[{{"system":"http://snomed.info/sct","code":"836380007","display":"Hepatitis B virus antigen vaccine"}}],"text":{vaccine}}},"occurrenceDateTime":"2020-05-01"}}}}
]}}"#,
        sections.join(",")
    );
    json::parse(&doc).unwrap_or(Value::Null)
}

struct Ledger {
    log: NoteSigner,
    witnesses: Vec<NoteSigner>,
    entries: Vec<Vec<u8>>,
}

impl Ledger {
    fn hashes(&self) -> Vec<Hash> {
        self.entries.iter().map(|e| merkle::leaf_hash(e)).collect()
    }
    /// The checkpoint of the whole log, cosigned by the first `cosigners` witnesses at `time`.
    fn checkpoint(&self, cosigners: usize, time: u64) -> Result<Note, Error> {
        let body = format!(
            "{LOG}\n{}\n{}\n",
            self.entries.len(),
            base64::encode(&merkle::root(&self.hashes()))
        );
        let mut note = sign_note(&body, &[&self.log], 0)?;
        for w in self.witnesses.iter().take(cosigners) {
            note = add_signature(&note, w, time)?;
        }
        Ok(note)
    }
    fn proof(&self, entry: &[u8], checkpoint: &Note) -> Result<TlogProof, Error> {
        let index = self.entries.iter().position(|e| e == entry).unwrap_or(0) as u64;
        Ok(TlogProof::new(
            None,
            index,
            merkle::prove_inclusion(index, &self.hashes())?,
            checkpoint.clone(),
        ))
    }
}

type Expected = (&'static str, &'static str, Option<&'static str>);

struct Case {
    name: String,
    about: String,
    presentation: Vec<u8>,
    trust_list: String,
    now: u64,
    options: serde_json::Value,
    expected: Expected,
}

/// All generated files, by path relative to `tests/vectors/records`.
pub fn generate() -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let log = signer(LOG, KeyType::Ed25519)?;
    let witnesses: Vec<NoteSigner> = ["a", "b", "c"]
        .iter()
        .map(|n| signer(&format!("witness-{n}.healthproof.example"), KeyType::CosignatureV1))
        .collect::<Result<_, _>>()?;
    let anchor = signer("trust.healthproof.example/test", KeyType::Ed25519)?;
    let rogue = signer("trust.rogue.example/test", KeyType::Ed25519)?;
    let list_text = trust_list_text(7, IAT - DAY, &log, &witnesses, &anchor);
    let trust_list = sign_note(&list_text, &[&anchor], 0)?.to_string();

    let mut counter = 0u64;
    let mut salt = move || {
        counter += 1;
        base64::encode_url(&seed(&format!("salt {counter}"))[..16])
    };
    let claims = ips::claims_from_bundle(&bundle(None))?;
    let hostile = ips::claims_from_bundle(&bundle(Some(HOSTILE)))?;
    let status_ref = StatusReference { idx: 3, uri: STATUS_URI.into() };
    let mut issue =
        |kid: &str, iat: u64, claims: &Claims, status: Option<StatusReference>, decoys: usize| {
            let input = Issuance {
                iss: "https://issuer.healthproof.example",
                iat,
                kid,
                claims,
                status,
                decoys,
            };
            record::issue(&input, &issuer_seed(kid), &mut salt)
        };
    let main = issue("de-charite-2026", IAT, &claims, None, 0)?;
    let records: Vec<(&str, SdJwt)> = vec![
        ("main", main.clone()),
        ("other", issue("de-charite-2026", IAT + 60, &claims, None, 0)?),
        ("fr", issue("fr-aphp-2026", IAT, &claims, None, 0)?),
        ("decoys", issue("de-charite-2026", IAT, &claims, None, 5)?),
        ("hostile", issue("de-charite-2026", IAT, &hostile, None, 0)?),
        ("es-revoked-late", issue("es-revoked-late", IAT, &claims, None, 0)?),
        ("it-revoked-early", issue("it-revoked-early", IAT, &claims, None, 0)?),
        ("ee-expired", issue("ee-expired", IAT, &claims, None, 0)?),
        ("pl-future", issue("pl-future", IAT, &claims, None, 0)?),
        ("status", issue("de-charite-2026", IAT, &claims, Some(status_ref.clone()), 0)?),
        ("unknown-kid", issue("xx-unknown", IAT, &claims, None, 0)?),
        ("future-iat", issue("de-charite-2026", NOW + 10 * DAY, &claims, None, 0)?),
        ("after-logged", issue("de-charite-2026", COSIGNED + DAY, &claims, None, 0)?),
        ("logged-late", issue("de-charite-2026", IAT - 30 * DAY, &claims, None, 0)?),
    ];
    // Records signed over hand-made payloads, for the issuer-side SD-JWT errors.
    let crafted = |payload_extra: &str, disclosures: Vec<Disclosure>| -> Result<SdJwt, Error> {
        let header =
            format!(r#"{{"alg":"EdDSA","typ":"{}","kid":"de-charite-2026"}}"#, record::TYP);
        let payload = format!(
            r#"{{"iss":"https://issuer.healthproof.example","iat":{IAT},"vct":"{}","_sd_alg":"sha-256",{payload_extra}}}"#,
            record::VCT
        );
        let (Value::Object(h), Value::Object(p)) = (json::parse(&header)?, json::parse(&payload)?)
        else {
            return Err(Error::RecordMalformed { reason: "crafted" });
        };
        Ok(SdJwt::new(
            jws::Jws::parse(&jws::sign(&h, &p, &issuer_seed("de-charite-2026")))?,
            disclosures,
        ))
    };
    let allergy =
        Disclosure::new_property("c2FsdC1yZXVzZQ", "allergies", &Value::String("x".into()));
    let reuse = crafted(
        &format!(r#""sections":{{"_sd":["{0}","{0}"]}}"#, allergy.digest()),
        vec![allergy.clone()],
    )?;
    let iss_again = Disclosure::new_property(
        "c2FsdC1jb25mbGljdA",
        "iss",
        &Value::String("https://forged.example".into()),
    );
    let conflict = crafted(&format!(r#""_sd":["{}"]"#, iss_again.digest()), vec![iss_again])?;
    let deep_signed = {
        // Signed as raw bytes: no JSON library here would build a value this deep.
        use ed25519_dalek::{Signer, SigningKey};
        let header =
            format!(r#"{{"alg":"EdDSA","typ":"{}","kid":"de-charite-2026"}}"#, record::TYP);
        let payload = format!(
            r#"{{"iss":"x","iat":{IAT},"vct":"{}","_sd_alg":"sha-256","patient":{}1{}}}"#,
            record::VCT,
            "[".repeat(100),
            "]".repeat(100)
        );
        let input = format!(
            "{}.{}",
            base64::encode_url(header.as_bytes()),
            base64::encode_url(payload.as_bytes())
        );
        let sig = SigningKey::from_bytes(&issuer_seed("de-charite-2026")).sign(input.as_bytes());
        format!("{input}.{}~", base64::encode_url(&sig.to_bytes()))
    };
    let wrong_vct_header =
        format!(r#"{{"alg":"EdDSA","typ":"{}","kid":"de-charite-2026"}}"#, record::TYP);
    let wrong_vct = {
        let p = format!(
            r#"{{"iss":"x","iat":{IAT},"vct":"https://other.example/vct","_sd_alg":"sha-256"}}"#
        );
        let (Value::Object(h), Value::Object(p)) =
            (json::parse(&wrong_vct_header)?, json::parse(&p)?)
        else {
            return Err(Error::RecordMalformed { reason: "crafted" });
        };
        SdJwt::new(jws::Jws::parse(&jws::sign(&h, &p, &issuer_seed("de-charite-2026")))?, vec![])
    };

    let mut entries: Vec<Vec<u8>> =
        (0..40).map(|i| format!("filler entry {i}").into_bytes()).collect();
    for (i, (_, r)) in records.iter().enumerate() {
        entries.insert(i * 3 + 1, r.jwt().as_str().as_bytes().to_vec());
    }
    let section = json::parse(r#"{"code":"10160-0","title":"Allergies","text":"","entries":[]}"#)?;
    let mismatched = Disclosure::new_property("c2VjdGlvbi1jb2Rl", "allergies", &section);
    let mismatch =
        crafted(&format!(r#""sections":{{"_sd":["{}"]}}"#, mismatched.digest()), vec![mismatched])?;
    for r in [&reuse, &conflict, &wrong_vct, &mismatch] {
        entries.push(r.jwt().as_str().as_bytes().to_vec());
    }
    let deep_entry = deep_signed.trim_end_matches('~').as_bytes().to_vec();
    entries.push(deep_entry.clone());
    let ledger = Ledger { log, witnesses, entries };
    let cp = ledger.checkpoint(2, COSIGNED)?;
    let present = |r: &SdJwt, checkpoint: &Note| -> Result<Vec<u8>, Error> {
        Ok(Presentation::new(r.clone(), ledger.proof(r.jwt().as_str().as_bytes(), checkpoint)?)
            .to_bytes())
    };
    let record = |name: &str| {
        records
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| main.clone())
    };

    let mut cases: Vec<Case> = Vec::new();
    let basic = |name: &str, about: &str, presentation: Vec<u8>, expected: Expected| Case {
        name: name.into(),
        about: about.into(),
        presentation,
        trust_list: trust_list.clone(),
        now: NOW,
        options: json!({}),
        expected,
    };
    const OK: Expected = ("verified", "format", None);

    cases.push(basic(
        "valid-full",
        "Every section and patient field disclosed.",
        present(&main, &cp)?,
        OK,
    ));
    let partial = main.select(|d| matches!(d.name(), Some("allergies" | "medications" | "name")));
    cases.push(basic(
        "valid-partial",
        "Only allergies, medications and the patient's name disclosed.",
        present(&partial, &cp)?,
        OK,
    ));
    cases.push(basic(
        "valid-nothing-disclosed",
        "No disclosure at all: the signature and ledger still verify.",
        present(&main.select(|_| false), &cp)?,
        OK,
    ));
    cases.push(basic(
        "valid-with-decoys",
        "The issuer added decoy digests (RFC 9901 §4.2.5).",
        present(&record("decoys"), &cp)?,
        OK,
    ));
    cases.push(basic("valid-french-issuer", "Issued in France.", present(&record("fr"), &cp)?, OK));
    cases.push(basic(
        "valid-hostile-text",
        "HTML and script in every text field: verified, content returned as plain strings.",
        present(&record("hostile"), &cp)?,
        OK,
    ));
    cases.push(basic(
        "valid-three-cosigners",
        "All three witnesses cosigned.",
        present(&main, &ledger.checkpoint(3, COSIGNED)?)?,
        OK,
    ));

    // Disclosures.
    let mut tampered = main.disclosures().to_vec();
    let first = tampered.remove(0);
    tampered.insert(
        0,
        Disclosure::new_property(
            "Zm9yZ2Vk",
            first.name().unwrap_or("name"),
            &Value::String("forged".into()),
        ),
    );
    cases.push(basic(
        "disclosure-tampered",
        "A disclosure replaced by one the issuer never signed.",
        present(&SdJwt::new(main.jwt().clone(), tampered), &cp)?,
        ("not-verified", "disclosures", Some("disclosure-unreferenced")),
    ));
    let mut foreign = main.disclosures().to_vec();
    foreign.push(record("other").disclosures()[0].clone());
    cases.push(basic(
        "disclosure-from-another-record",
        "A disclosure copied from another record of the same patient.",
        present(&SdJwt::new(main.jwt().clone(), foreign), &cp)?,
        ("not-verified", "disclosures", Some("disclosure-unreferenced")),
    ));
    let text = String::from_utf8(present(&main, &cp)?).unwrap_or_default();
    let d0 = main.disclosures()[0].as_str();
    cases.push(basic(
        "disclosure-duplicate",
        "The same disclosure twice.",
        text.replacen(&format!("~{d0}~"), &format!("~{d0}~{d0}~"), 1).into_bytes(),
        ("not-verified", "format", Some("disclosure-duplicate")),
    ));
    cases.push(basic(
        "digest-reuse",
        "The issuer-signed payload lists one digest twice.",
        present(&reuse, &cp)?,
        ("not-verified", "disclosures", Some("digest-reused")),
    ));
    cases.push(basic(
        "disclosure-overwrites-claim",
        "A disclosure that would replace the signed iss claim.",
        present(&conflict, &cp)?,
        ("not-verified", "disclosures", Some("disclosure-conflict")),
    ));
    let reserved = base64::encode_url(br#"["c2FsdA","_sd","x"]"#);
    cases.push(basic(
        "disclosure-reserved-name",
        "A disclosure named _sd.",
        text.replacen(&format!("~{d0}~"), &format!("~{reserved}~"), 1).into_bytes(),
        ("not-verified", "format", Some("disclosure-conflict")),
    ));
    let not_array = base64::encode_url(br#"{"salt":"x"}"#);
    cases.push(basic(
        "disclosure-not-an-array",
        "A disclosure that is a JSON object.",
        text.replacen(&format!("~{d0}~"), &format!("~{not_array}~"), 1).into_bytes(),
        ("not-verified", "format", Some("sd-jwt-malformed")),
    ));
    let deep = base64::encode_url(
        format!(r#"["c2FsdA","deep",{}0{}]"#, "[".repeat(5000), "]".repeat(5000)).as_bytes(),
    );
    cases.push(basic(
        "disclosure-deeply-nested",
        "A disclosure nested 5000 levels deep.",
        text.replacen(&format!("~{d0}~"), &format!("~{deep}~"), 1).into_bytes(),
        ("not-verified", "format", Some("json-malformed")),
    ));
    let deep_proof = ledger.proof(&deep_entry, &cp)?;
    cases.push(basic(
        "payload-deeply-nested",
        "An issuer-signed payload nested 100 levels deep, beyond the limit.",
        format!("healthproof/v1\n{deep_signed}\n{deep_proof}").into_bytes(),
        ("not-verified", "format", Some("json-malformed")),
    ));
    cases.push(basic(
        "key-binding-jwt-appended",
        "A key binding JWT after the last disclosure.",
        text.replacen("~\nc2sp", "~eyJhbGciOiJub25lIn0.e30.\nc2sp", 1).into_bytes(),
        ("not-verified", "format", Some("sd-jwt-malformed")),
    ));

    // Issuer signature and algorithm.
    cases.push(basic(
        "unknown-kid",
        "Signed with a key the trust list does not list.",
        present(&record("unknown-kid"), &cp)?,
        ("not-verified", "issuer-known", Some("issuer-unknown")),
    ));
    let jwt = main.jwt().as_str();
    let (h, rest) = jwt.split_once('.').unwrap_or_default();
    let swap_alg = |alg: &str| {
        let header =
            format!(r#"{{"alg":"{alg}","typ":"{}","kid":"de-charite-2026"}}"#, record::TYP);
        text.replacen(h, &base64::encode_url(header.as_bytes()), 1).into_bytes()
    };
    cases.push(basic(
        "alg-none",
        "alg none.",
        swap_alg("none"),
        ("not-verified", "format", Some("algorithm-unsupported")),
    ));
    cases.push(basic(
        "alg-hs256",
        "alg HS256 (an HMAC keyed with the public key).",
        swap_alg("HS256"),
        ("not-verified", "format", Some("algorithm-unsupported")),
    ));
    cases.push(basic(
        "alg-confusion-es256",
        "alg ES256 over an Ed25519 signature.",
        swap_alg("ES256"),
        ("not-verified", "format", Some("algorithm-unsupported")),
    ));
    let sig = rest.rsplit('.').next().unwrap_or_default();
    let mut flipped = base64::decode_url(sig).unwrap_or_default();
    flipped[10] ^= 1;
    cases.push(basic(
        "signature-bit-flipped",
        "One bit of the issuer signature flipped.",
        text.replacen(sig, &base64::encode_url(&flipped), 1).into_bytes(),
        ("not-verified", "signature", Some("signature-invalid")),
    ));
    let last = sig.chars().last().unwrap_or('A');
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bumped = alphabet.chars().nth(alphabet.find(last).unwrap_or(0) ^ 1).unwrap_or('B');
    let non_canonical = format!("{}{bumped}", &sig[..sig.len() - 1]);
    cases.push(basic(
        "signature-non-canonical-base64url",
        "The signature's base64url has non-zero unused bits.",
        text.replacen(sig, &non_canonical, 1).into_bytes(),
        ("not-verified", "format", Some("jws-malformed")),
    ));
    cases.push(basic(
        "signature-padded-base64",
        "The signature is base64url with '=' padding.",
        text.replacen(sig, &format!("{sig}=="), 1).into_bytes(),
        ("not-verified", "format", Some("jws-malformed")),
    ));
    let payload_b64 = jwt.split('.').nth(1).unwrap_or_default();
    let payload =
        String::from_utf8(base64::decode_url(payload_b64).unwrap_or_default()).unwrap_or_default();
    let forged = base64::encode_url(
        payload.replacen(&IAT.to_string(), &(IAT - 100 * DAY).to_string(), 1).as_bytes(),
    );
    cases.push(basic(
        "payload-modified",
        "The signed payload edited (iat back-dated) under the original signature.",
        text.replacen(payload_b64, &forged, 1).into_bytes(),
        ("not-verified", "signature", Some("signature-invalid")),
    ));
    cases.push(basic(
        "wrong-vct",
        "A correctly signed JWT that is not a HealthProof IPS record.",
        present(&wrong_vct, &cp)?,
        ("not-verified", "disclosures", Some("record-malformed")),
    ));
    let typ_header = r#"{"alg":"EdDSA","typ":"dc+sd-jwt","kid":"de-charite-2026"}"#;
    cases.push(basic(
        "wrong-typ",
        "A JWS typ other than hp-ips+sd-jwt.",
        text.replacen(h, &base64::encode_url(typ_header.as_bytes()), 1).into_bytes(),
        ("not-verified", "format", Some("record-malformed")),
    ));

    // Keys and time.
    cases.push(basic("revoked-key-after-logging", "The issuer key was revoked two days after the ledger proves the record existed: still valid.", present(&record("es-revoked-late"), &cp)?, ("verified-with-warnings", "key-not-revoked", Some("key-revoked-after-logging"))));
    cases.push(basic(
        "revoked-key-before-logging",
        "Signed with a key revoked before the record was logged.",
        present(&record("it-revoked-early"), &cp)?,
        ("not-verified", "key-not-revoked", Some("key-revoked")),
    ));
    cases.push(basic(
        "key-expired",
        "Issued after the key's not-after.",
        present(&record("ee-expired"), &cp)?,
        ("not-verified", "key-valid", Some("key-not-valid")),
    ));
    cases.push(basic(
        "key-not-yet-valid",
        "Issued before the key's not-before.",
        present(&record("pl-future"), &cp)?,
        ("not-verified", "key-valid", Some("key-not-valid")),
    ));
    cases.push(basic(
        "iat-in-future",
        "The record's iat is ten days after now.",
        present(&record("future-iat"), &cp)?,
        ("not-verified", "issued-at", Some("time-invalid")),
    ));
    cases.push(basic(
        "iat-after-logging",
        "The record claims an iat after the witnesses had already seen it.",
        present(&record("after-logged"), &cp)?,
        ("not-verified", "issued-at", Some("time-invalid")),
    ));
    cases.push(basic(
        "logged-late",
        "Logged 31 days after its claimed issue date: possibly back-dated.",
        present(&record("logged-late"), &cp)?,
        ("verified-with-warnings", "issued-at", Some("logged-late")),
    ));

    // Ledger.
    let other_entry = present(&record("other"), &cp)?;
    let other_proof = String::from_utf8(other_entry).unwrap_or_default();
    let proof_part =
        other_proof.split_once("\nc2sp").map(|(_, p)| format!("c2sp{p}")).unwrap_or_default();
    let mine = String::from_utf8(present(&main, &cp)?).unwrap_or_default();
    let head = mine.split_once("\nc2sp").map(|(h, _)| h.to_owned()).unwrap_or_default();
    cases.push(basic(
        "proof-for-another-entry",
        "The ledger proof of another record.",
        format!("{head}\n{proof_part}").into_bytes(),
        ("not-verified", "inclusion-proof", Some("proof-mismatch")),
    ));
    let index = ledger.proof(main.jwt().as_str().as_bytes(), &cp)?.leaf_index();
    cases.push(basic(
        "proof-wrong-index",
        "The proof's index changed to the neighbour's.",
        mine.replacen(&format!("index {index}\n"), &format!("index {}\n", index + 1), 1)
            .into_bytes(),
        ("not-verified", "inclusion-proof", Some("proof-mismatch")),
    ));
    let other_log = signer("ledger.other.example/log", KeyType::Ed25519)?;
    let body = cp.text().replacen(LOG, "ledger.other.example/log", 1);
    let foreign_cp = sign_note(&body, &[&other_log], 0)?;
    cases.push(basic(
        "checkpoint-other-log",
        "A checkpoint from a log the trust list does not list.",
        present(&main, &foreign_cp)?,
        ("not-verified", "checkpoint-signature", Some("log-unknown")),
    ));
    let impostor = NoteSigner::new(LOG, KeyType::Ed25519, &seed("impostor log"))?;
    cases.push(basic(
        "checkpoint-unknown-key",
        "A checkpoint signed under the log's name by another key.",
        present(&main, &sign_note(cp.text(), &[&impostor], 0)?)?,
        ("not-verified", "checkpoint-signature", Some("key-unknown")),
    ));
    cases.push(basic(
        "cosignatures-below-quorum",
        "Only one witness cosigned; two are required.",
        present(&main, &ledger.checkpoint(1, COSIGNED)?)?,
        ("not-verified", "witness-quorum", Some("quorum-unsatisfied")),
    ));
    let once = ledger.checkpoint(1, COSIGNED)?;
    let twice = add_signature(&once, &ledger.witnesses[0], COSIGNED + 60)?;
    cases.push(basic(
        "same-cosigner-twice",
        "One witness cosigned twice; it counts once.",
        present(&main, &twice)?,
        ("not-verified", "witness-quorum", Some("quorum-unsatisfied")),
    ));
    let mut sigs = cp.signatures().to_vec();
    let s1 = sigs[1].clone();
    let mut bytes = s1.bytes().to_vec();
    bytes[30] ^= 1;
    sigs[1] = Signature::new(s1.name(), s1.key_id(), bytes)?;
    cases.push(basic(
        "cosignature-invalid",
        "A trusted witness's cosignature does not verify.",
        present(&main, &Note::new(cp.text(), sigs)?)?,
        ("not-verified", "checkpoint-signature", Some("signature-invalid")),
    ));
    cases.push(basic(
        "cosignature-in-future",
        "The witnesses' timestamps are after now.",
        present(&main, &ledger.checkpoint(2, NOW + 2 * DAY)?)?,
        ("verified-with-warnings", "checkpoint-freshness", Some("cosignature-future")),
    ));

    // Trust list.
    let stale_now = COSIGNED + 500 * DAY;
    cases.push(Case {
        name: "checkpoint-stale".into(),
        about: "The newest cosignature is 500 days old.".into(),
        presentation: present(&main, &cp)?,
        trust_list: trust_list.clone(),
        now: stale_now,
        options: json!({ "max_trust_list_age": 1000 * DAY }),
        expected: ("verified-with-warnings", "checkpoint-freshness", Some("checkpoint-stale")),
    });
    cases.push(Case {
        name: "trust-list-stale".into(),
        about: "The trust list is 120 days old.".into(),
        presentation: present(&main, &cp)?,
        trust_list: trust_list.clone(),
        now: IAT + 119 * DAY,
        options: json!({}),
        expected: ("verified-with-warnings", "trust-list-freshness", Some("trust-list-stale")),
    });
    cases.push(Case {
        name: "trust-list-rollback".into(),
        about: "Trust list 7 offered after 8 was accepted.".into(),
        presentation: present(&main, &cp)?,
        trust_list: trust_list.clone(),
        now: NOW,
        options: json!({ "min_trust_list_sequence": 8 }),
        expected: ("not-verified", "trust-list", Some("trust-list-rollback")),
    });
    let rogue_list = sign_note(&list_text, &[&rogue], 0)?.to_string();
    cases.push(Case {
        name: "trust-list-wrong-signer".into(),
        about: "A trust list signed by a key the verifier does not allow.".into(),
        presentation: present(&main, &cp)?,
        trust_list: rogue_list,
        now: NOW,
        options: json!({}),
        expected: ("not-verified", "trust-list", Some("trust-list-signer-unknown")),
    });
    let edited = trust_list.replacen("sequence 7", "sequence 9", 1);
    cases.push(Case {
        name: "trust-list-edited".into(),
        about: "A trust list edited after signing.".into(),
        presentation: present(&main, &cp)?,
        trust_list: edited,
        now: NOW,
        options: json!({}),
        expected: ("not-verified", "trust-list", Some("signature-invalid")),
    });
    let no_signer: String =
        list_text.lines().filter(|l| !l.starts_with("signer ")).map(|l| format!("{l}\n")).collect();
    cases.push(Case {
        name: "trust-list-without-next-signer".into(),
        about: "A trust list naming no key for its successor: it would lock verifiers out.".into(),
        presentation: present(&main, &cp)?,
        trust_list: sign_note(&no_signer, &[&anchor], 0)?.to_string(),
        now: NOW,
        options: json!({}),
        expected: ("not-verified", "trust-list", Some("trust-list-malformed")),
    });

    // Status.
    let status_record = record("status");
    let token = |statuses: &[u8], kid: &str| {
        status::sign(STATUS_URI, 2, statuses, COSIGNED, kid, &issuer_seed(kid))
    };
    let with = |name: &str, about: &str, tokens: Vec<String>, expected| Case {
        name: name.into(),
        about: about.into(),
        presentation: present(&status_record, &cp).unwrap_or_default(),
        trust_list: trust_list.clone(),
        now: NOW,
        options: json!({ "status_lists": tokens }),
        expected,
    };
    cases.push(with(
        "status-valid",
        "The issuer's status list says valid.",
        vec![token(&[0, 1, 2, 0, 1], "de-charite-2026")],
        OK,
    ));
    cases.push(with(
        "status-revoked",
        "The issuer's status list says invalid.",
        vec![token(&[0, 0, 0, 1, 0], "de-charite-2026")],
        ("not-verified", "status", Some("status-revoked")),
    ));
    cases.push(with(
        "status-suspended",
        "The issuer's status list says suspended.",
        vec![token(&[0, 0, 0, 2, 0], "de-charite-2026")],
        ("not-verified", "status", Some("status-revoked")),
    ));
    cases.push(with(
        "status-unknown-offline",
        "No status list at hand: status unknown (offline), not a failure.",
        vec![],
        OK,
    ));
    cases.push(with(
        "status-list-untrusted",
        "A status list signed by an unknown key is ignored: status unknown.",
        vec![status::sign(
            STATUS_URI,
            2,
            &[0, 0, 0, 1],
            COSIGNED,
            "de-charite-2026",
            &seed("rogue"),
        )],
        OK,
    ));
    cases.push(with(
        "status-list-from-another-issuer",
        "A trusted issuer other than the record's cannot revoke it: its list is ignored.",
        vec![token(&[0, 0, 0, 1, 0], "fr-aphp-2026")],
        OK,
    ));
    let expired = {
        let t = status::sign(
            STATUS_URI,
            2,
            &[0, 0, 0, 1, 0],
            COSIGNED,
            "de-charite-2026",
            &issuer_seed("de-charite-2026"),
        );
        let (h, rest) = t.split_once('.').unwrap_or_default();
        let (p, _) = rest.split_once('.').unwrap_or_default();
        let payload =
            String::from_utf8(base64::decode_url(p).unwrap_or_default()).unwrap_or_default();
        let payload = payload.replacen(
            &format!("\"iat\":{COSIGNED}"),
            &format!("\"iat\":{COSIGNED},\"exp\":{}", COSIGNED + DAY),
            1,
        );
        let (Ok(Value::Object(hh)), Ok(Value::Object(pp))) = (
            json::parse(
                &String::from_utf8(base64::decode_url(h).unwrap_or_default()).unwrap_or_default(),
            ),
            json::parse(&payload),
        ) else {
            return Err(Error::RecordMalformed { reason: "crafted" });
        };
        jws::sign(&hh, &pp, &issuer_seed("de-charite-2026"))
    };
    cases.push(with(
        "status-list-expired-revoked",
        "An expired status list still counts when it says revoked.",
        vec![expired],
        ("not-verified", "status", Some("status-revoked")),
    ));
    cases.push(basic(
        "section-code-mismatch",
        "A section disclosed under the allergies key carries the medications LOINC code.",
        present(&mismatch, &cp)?,
        ("not-verified", "disclosures", Some("record-malformed")),
    ));

    // Malformed input.
    cases.push(basic(
        "invalid-utf8",
        "Bytes that are not UTF-8.",
        [b"healthproof/v1\n".as_slice(), &[0xff, 0xfe, 0x00, 0x80]].concat(),
        ("not-verified", "format", Some("presentation-malformed")),
    ));
    cases.push(basic(
        "header-missing",
        "The first line is missing.",
        mine.replacen("healthproof/v1\n", "", 1).into_bytes(),
        ("not-verified", "format", Some("presentation-malformed")),
    ));
    cases.push(basic(
        "proof-missing",
        "The ledger proof is cut off.",
        format!("{head}\n").into_bytes(),
        ("not-verified", "format", Some("proof-malformed")),
    ));
    cases.push(basic(
        "empty",
        "An empty file.",
        Vec::new(),
        ("not-verified", "format", Some("presentation-malformed")),
    ));
    let smuggled = format!(
        "{}\u{2014} </script><script>alert(1)</script> AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        mine
    );
    cases.push(basic(
        "script-in-unknown-signature-line",
        "A valid presentation with an extra unknown signature line whose key name closes an HTML script element.",
        smuggled.into_bytes(),
        ("not-verified", "format", Some("presentation-malformed")),
    ));
    cases.push(basic(
        "surrounded-by-white-space",
        "A presentation as embedded in HTML, with white space around it: accepted.",
        format!("\n  {mine}\n\n").into_bytes(),
        OK,
    ));

    let mut files = BTreeMap::new();
    files.insert("demo/record.hproof".to_owned(), present(&main, &cp)?);
    files.insert("demo/partial.hproof".to_owned(), present(&partial, &cp)?);
    let forged =
        cases.iter().find(|c| c.name == "disclosure-tampered").map(|c| c.presentation.clone());
    files.insert("demo/tampered.hproof".to_owned(), forged.unwrap_or_default());
    files.insert("trust-list.txt".to_owned(), trust_list.clone().into_bytes());
    files.insert(
        "trust-list-signer.txt".to_owned(),
        format!("{}\n", anchor.verifier()).into_bytes(),
    );
    let n = cases.len();
    for c in cases {
        let presentation = match String::from_utf8(c.presentation.clone()) {
            Ok(text) => json!({ "presentation": text }),
            Err(_) => json!({ "presentation_base64": base64::encode(&c.presentation) }),
        };
        let mut file = json!({ "description": c.about });
        if let (Some(f), Some(p)) = (file.as_object_mut(), presentation.as_object()) {
            f.extend(p.clone());
            f.insert("trust_list".into(), json!(c.trust_list));
            f.insert("trust_list_signers".into(), json!([anchor.verifier().to_string()]));
            f.insert("now".into(), json!(c.now));
            f.insert("options".into(), c.options.clone());
            f.insert(
                "expected".into(),
                json!({ "verdict": c.expected.0, "check": c.expected.1, "code": c.expected.2 }),
            );
        }
        let text = serde_json::to_string_pretty(&file).unwrap_or_default() + "\n";
        files.insert(format!("cases/{}.json", c.name), text.into_bytes());
    }
    // The 10 MB input is described, not stored: the test builds it.
    files.insert("cases/input-10mb.json".into(), (serde_json::to_string_pretty(&json!({
        "description": "A 10 MB presentation: refused by size before any parsing.",
        "presentation_repeat": { "unit": "A", "count": 10 * 1024 * 1024 },
        "trust_list": trust_list, "trust_list_signers": [anchor.verifier().to_string()], "now": NOW, "options": {},
        "expected": { "verdict": "not-verified", "check": "format", "code": "input-too-large" }
    })).unwrap_or_default() + "\n").into_bytes());
    debug_assert!(n >= 40);
    Ok(files)
}

/// Writes the files, or with `check` compares them with what is on disk.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let files = generate().map_err(|e| format!("generating record cases: {e}"))?;
    crate::testdata::write_or_check(&root.join("tests/vectors/records"), &files, check)
}
