//! `healthproof trust import`: trust-list lines from the formats the networks publish.
//!
//! - EU DCC signer certificates (`dsc <CC> <base64 DER>`), from any of:
//!   - the DCC Gateway's trust list, `GET /trustList/DSC`: a JSON array of
//!     `{"kid","country","certificateType","rawData",…}` (also wrapped as `{"certificates":[…]}`,
//!     as national mirrors such as Germany's serve it, with or without their signature line);
//!   - the Nordic style `{"dsc_trust_list": {"<CC>": {"keys": [{"x5c": ["<base64 DER>"]}]}}}`.
//!
//!   Entries whose `certificateType` is not `DSC` are skipped; so are certificates the core
//!   cannot use (a key other than P-256 or RSA 2048–4096), each with a note on standard error.
//!   The gateway signs its list and each entry; checking those signatures, and the chain to
//!   the country's CSCA, is the publisher's job before signing the HealthProof list.
//! - SMART Health Card issuers (`shc-key`, `shc-revoked`): the issuer's `iss`, its
//!   `/.well-known/jwks.json`, and the revocation lists at `/.well-known/crl/<kid>.json`.
//!
//! The lines are printed for the publisher to add to the trust-list text and sign with
//! `healthproof trust sign`.

use std::path::{Path, PathBuf};

use healthproof::{base64, jwk, shc, trust};
use serde_json::Value;

use crate::{read, Failure};

/// Reads the given files and returns the trust-list lines, one per line, with a summary of
/// what was skipped on standard error.
pub fn run(
    dcc: &[PathBuf],
    shc_iss: Option<&str>,
    shc_jwks: Option<&Path>,
    shc_crls: &[PathBuf],
) -> Result<String, Failure> {
    let mut lines: Vec<String> = Vec::new();
    for path in dcc {
        let (found, skipped) = dcc_lines(path, &mut lines)?;
        eprintln!("{}: {found} signer certificates, {skipped} skipped", path.display());
    }
    match (shc_iss, shc_jwks) {
        (Some(iss), Some(jwks)) => lines.extend(shc_issuer_lines(iss, jwks, shc_crls)?),
        (None, None) if shc_crls.is_empty() => {}
        _ => {
            return Err(Failure::Usage(
                "--shc-iss and --shc-jwks go together (with any --shc-crl)".into(),
            ))
        }
    }
    if lines.is_empty() {
        return Err(Failure::Usage(
            "nothing to import: give --dcc FILE or --shc-iss and --shc-jwks".into(),
        ));
    }
    Ok(lines.join("\n") + "\n")
}

fn json_file(path: &Path) -> Result<Value, Failure> {
    let bytes = read(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::Usage(format!("{}: not UTF-8", path.display())))?;
    // National mirrors prefix the JSON with a signature line; the JSON starts at `[` or `{`.
    let start = text.find(['[', '{']).unwrap_or(0);
    serde_json::from_str(text.get(start..).unwrap_or_default())
        .map_err(|e| Failure::Usage(format!("{}: not JSON: {e}", path.display())))
}

/// Appends a `dsc` line for every usable DSC of a DCC trust list; returns (added, skipped).
fn dcc_lines(path: &Path, lines: &mut Vec<String>) -> Result<(usize, usize), Failure> {
    let json = json_file(path)?;
    let mut entries: Vec<(String, String)> = Vec::new();
    let gateway = json.as_array().or_else(|| json.get("certificates").and_then(Value::as_array));
    if let Some(list) = gateway {
        for e in list {
            let kind = e.get("certificateType").and_then(Value::as_str).unwrap_or("DSC");
            if kind != "DSC" {
                continue;
            }
            let country = e.get("country").and_then(Value::as_str).unwrap_or_default();
            let raw = e.get("rawData").and_then(Value::as_str).unwrap_or_default();
            entries.push((country.to_owned(), raw.to_owned()));
        }
    } else if let Some(map) = json.get("dsc_trust_list").and_then(Value::as_object) {
        for (country, v) in map {
            for key in v.get("keys").and_then(Value::as_array).into_iter().flatten() {
                if let Some(der) = key.get("x5c").and_then(Value::as_array).and_then(|c| c.first())
                {
                    entries.push((country.clone(), der.as_str().unwrap_or_default().to_owned()));
                }
            }
        }
    } else {
        return Err(Failure::Usage(format!(
            "{}: neither a DCC Gateway trust list nor a dsc_trust_list",
            path.display()
        )));
    }
    let (mut added, mut skipped) = (0, 0);
    for (country, raw) in entries {
        let der = base64::decode(raw.trim());
        match der.ok_or("the certificate is not base64".to_owned()).and_then(|der| {
            trust::dsc_line(&country.to_ascii_uppercase(), &der).map_err(|e| e.to_string())
        }) {
            Ok(line) if lines.contains(&line) => {}
            Ok(line) => {
                lines.push(line);
                added += 1;
            }
            Err(why) => {
                skipped += 1;
                eprintln!("skipped a {country} certificate: {why}");
            }
        }
    }
    Ok((added, skipped))
}

/// `shc-key` and `shc-revoked` lines for one issuer.
fn shc_issuer_lines(iss: &str, jwks: &Path, crls: &[PathBuf]) -> Result<Vec<String>, Failure> {
    let text = |p: &Path| {
        String::from_utf8(read(p)?)
            .map_err(|_| Failure::Usage(format!("{}: not UTF-8", p.display())))
    };
    if !iss.starts_with("https://") || iss.ends_with('/') || iss.contains(char::is_whitespace) {
        return Err(Failure::Usage(format!("{iss}: an issuer is an https URL without a final /")));
    }
    let keys = jwk::parse_set(&text(jwks)?)
        .map_err(|e| Failure::Usage(format!("{}: {e}", jwks.display())))?;
    let mut revocations = Vec::new();
    for path in crls {
        let body = text(path)?;
        let kid = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v.get("kid").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        let key = keys.iter().find(|k| k.kid == kid).ok_or_else(|| {
            Failure::Usage(format!("{}: its kid is none of the JWKS keys", path.display()))
        })?;
        let entries = shc::parse_crl(&body, key)
            .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
        revocations.push((kid, entries));
    }
    let mut lines = Vec::new();
    for key in &keys {
        let revoked =
            revocations.iter().find(|(kid, _)| *kid == key.kid).map(|(_, r)| r.as_slice());
        if key.crl_version.is_some() && revoked.is_none() {
            eprintln!(
                "note: key {} has crlVersion {:?} but no --shc-crl was given",
                key.kid, key.crl_version
            );
        }
        let iss_line = trust::shc_lines(iss, key, revoked.unwrap_or_default());
        lines.extend(iss_line);
    }
    Ok(lines)
}
