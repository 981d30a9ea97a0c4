//! Issuer and holder commands: `issue` (FHIR IPS Bundle → signed record), `present` (record +
//! ledger proof → presentation with chosen disclosures) and `trust sign | verify | show`.

use std::path::Path;

use healthproof::ips;
use healthproof::json::{self, Value};
use healthproof::jws::Jws;
use healthproof::note::VerifierKey;
use healthproof::presentation::Presentation;
use healthproof::proof::TlogProof;
use healthproof::record::{self, Issuance};
use healthproof::sd_jwt::SdJwt;
use healthproof::signer::sign_note;
use healthproof::status::StatusReference;
use healthproof::trust::TrustList;
use healthproof::{base64, Error};

use crate::{keys, read, Failure};

/// What `issue` needs besides the key and bundle.
pub struct IssueArgs<'a> {
    /// `iss`.
    pub iss: &'a str,
    /// `iat`.
    pub iat: u64,
    /// The status list reference, if any.
    pub status: Option<StatusReference>,
    /// Decoy digests per group.
    pub decoys: usize,
}

/// `issue`: reads an IPS document Bundle and returns the signed record (SD-JWT).
pub fn issue(key: &Path, bundle: &Path, args: &IssueArgs<'_>) -> Result<String, Failure> {
    let signer = keys::load(key)?;
    let seed = signer.seed();
    let text = String::from_utf8(read(bundle)?)
        .map_err(|_| Failure::Usage(format!("{}: not UTF-8", bundle.display())))?;
    let at = |e: Error| Failure::Usage(format!("{}: {e}", bundle.display()));
    let value = json::parse(&text).map_err(|e| at(e.into()))?;
    let claims = ips::claims_from_bundle(&value).map_err(at)?;
    let mut failure = None;
    let mut salt = || match keys::random_bytes::<16>() {
        Ok(bytes) => base64::encode_url(&bytes),
        Err(e) => {
            failure = Some(e);
            String::new()
        }
    };
    let input = Issuance {
        iss: args.iss,
        iat: args.iat,
        kid: signer.verifier().name(),
        claims: &claims,
        status: args.status.clone(),
        decoys: args.decoys,
    };
    let record = record::issue(&input, &seed, &mut salt)?;
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(format!("{record}\n"))
}

/// The ledger entry of a record file: its issuer-signed JWT.
pub fn ledger_entry(record: &[u8]) -> Result<Vec<u8>, Failure> {
    let text =
        std::str::from_utf8(record).map_err(|_| Failure::Usage("a record is not UTF-8".into()))?;
    let sd = SdJwt::parse(text.trim())?;
    Ok(sd.jwt().as_str().as_bytes().to_vec())
}

/// Names a holder can disclose: patient fields and section keys.
pub fn disclosable() -> Vec<&'static str> {
    ips::PATIENT_FIELDS.iter().copied().chain(ips::SECTIONS.iter().map(|(k, _, _)| *k)).collect()
}

/// `present`: record + proof → presentation with the chosen disclosures (all when `None`).
pub fn present(
    record: &Path,
    proof: &Path,
    disclose: Option<&[String]>,
) -> Result<Presentation, Failure> {
    let text = String::from_utf8(read(record)?)
        .map_err(|_| Failure::Usage(format!("{}: not UTF-8", record.display())))?;
    let sd = SdJwt::parse(text.trim())
        .map_err(|e| Failure::Usage(format!("{}: {e}", record.display())))?;
    let proof = TlogProof::parse(&read(proof)?)
        .map_err(|e| Failure::Usage(format!("{}: {e}", proof.display())))?;
    let known = disclosable();
    if let Some(names) = disclose {
        if let Some(bad) = names.iter().find(|n| !known.contains(&n.as_str())) {
            return Err(Failure::Usage(format!(
                "--disclose {bad:?}: not one of {}",
                known.join(", ")
            )));
        }
    }
    let presentation = Presentation::new(sd, proof);
    Ok(match disclose {
        None => presentation,
        Some(names) => {
            presentation.select(|d| d.name().is_some_and(|n| names.iter().any(|k| k == n)))
        }
    })
}

/// `trust sign`: signs a trust list text (checked by parsing it back) with a trust key.
pub fn trust_sign(key: &Path, text: &Path) -> Result<String, Failure> {
    let signer = keys::load(key)?;
    let body = String::from_utf8(read(text)?)
        .map_err(|_| Failure::Usage(format!("{}: not UTF-8", text.display())))?;
    let note = sign_note(&body, &[&signer], 0)?;
    // Refuse to sign what a verifier would refuse to read.
    TrustList::verify(note.to_string().as_bytes(), std::slice::from_ref(signer.verifier()), 0)
        .map_err(|e| Failure::Usage(format!("{}: {e}", text.display())))?;
    Ok(note.to_string())
}

/// `trust verify` / `trust show`: verifies a trust list and describes it.
pub fn trust_show(
    file: &Path,
    signers: &[VerifierKey],
    min_sequence: u64,
    now: u64,
) -> Result<String, Failure> {
    let list = TrustList::verify(&read(file)?, signers, min_sequence)?;
    let mut out = format!(
        "trust list {}: issued {} ({} days ago)\n",
        list.sequence(),
        healthproof::time::rfc3339(list.issued()),
        now.saturating_sub(list.issued()) / 86_400
    );
    for log in list.policy().logs() {
        out += &format!("log      {} ({})\n", log.origin, log.key);
    }
    for w in list.policy().witnesses() {
        out += &format!("witness  {} ({})\n", w.name, w.key.name());
    }
    for i in list.issuers() {
        let standing = match &i.revoked {
            Some((at, reason)) => format!("REVOKED {} ({reason})", healthproof::time::rfc3339(*at)),
            None if i.not_after < now => "expired".to_owned(),
            None => "valid".to_owned(),
        };
        out += &format!(
            "issuer   {} {} {} — {} to {}, {standing}\n",
            i.country,
            i.kid,
            i.organisation,
            healthproof::time::rfc3339(i.not_before),
            healthproof::time::rfc3339(i.not_after)
        );
    }
    let dscs = list.dscs();
    if !dscs.is_empty() {
        let mut countries: Vec<&str> = dscs.iter().map(|d| d.country.as_str()).collect();
        countries.sort_unstable();
        countries.dedup();
        let valid = dscs.iter().filter(|d| d.certificate.not_after() >= now).count();
        out += &format!(
            "dcc      {} signer certificates ({valid} unexpired) from {} countries: {}\n",
            dscs.len(),
            countries.len(),
            countries.join(" ")
        );
    }
    for k in list.shc_keys() {
        out += &format!("shc      {} key {} ({} revoked)\n", k.iss, k.key.kid, k.revoked.len());
    }
    for s in list.signers() {
        out += &format!("next signer {s}\n");
    }
    Ok(out)
}

/// The record's header, to report what was issued.
pub fn describe_record(record: &str) -> String {
    let Ok(sd) = SdJwt::parse(record.trim()) else { return String::new() };
    let jwt: &Jws = sd.jwt();
    let names: Vec<&str> = sd.disclosures().iter().filter_map(|d| d.name()).collect();
    let kid = jwt.header_str("kid").unwrap_or_default();
    let iat =
        jwt.payload().get("iat").and_then(Value::as_number).and_then(|n| n.as_u64()).unwrap_or(0);
    format!(
        "record by {kid}, issued {}: {} disclosures ({})",
        healthproof::time::rfc3339(iat),
        names.len(),
        names.join(", ")
    )
}
