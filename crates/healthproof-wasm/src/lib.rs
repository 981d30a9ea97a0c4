//! JavaScript bindings of the HealthProof core: argument conversion, errors as JS
//! exceptions named `VerifyError` carrying a stable `.code`, and plain objects out. No
//! verification logic lives here; every check is in the `healthproof` crate.
//!
//! Inputs accept a string or a `Uint8Array`. Times are POSIX seconds; `now` defaults to the
//! JavaScript clock when not given.

use healthproof::json::Value;
use healthproof::merkle::{self, Hash};
use healthproof::note::{self, Note, VerifierKey};
use healthproof::policy::Policy;
use healthproof::presentation::Presentation;
use healthproof::record::{self, Options};
use healthproof::trust::TrustList;
use healthproof::{base64, Error};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

/// A JS exception for `error`: an `Error` named `VerifyError` with `.code`.
fn throw(error: &Error) -> JsValue {
    exception(error.code(), &error.to_string())
}

fn exception(code: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("VerifyError");
    let _ = Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

fn usage(message: &str) -> JsValue {
    exception("invalid-argument", message)
}

/// The bytes of a string or `Uint8Array` argument.
fn bytes(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s.into_bytes());
    }
    if value.is_instance_of::<Uint8Array>() {
        return Ok(Uint8Array::new(value).to_vec());
    }
    Err(usage(&format!("{what} must be a string or a Uint8Array")))
}

fn text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    String::from_utf8(bytes(value, what)?).map_err(|_| usage(&format!("{what} is not UTF-8")))
}

fn strings(value: &JsValue, what: &str) -> Result<Vec<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !Array::is_array(value) {
        return Err(usage(&format!("{what} must be an array of strings")));
    }
    Array::from(value)
        .iter()
        .map(|v| v.as_string().ok_or_else(|| usage(&format!("{what} must be an array of strings"))))
        .collect()
}

fn keys(value: &JsValue, what: &str) -> Result<Vec<VerifierKey>, JsValue> {
    strings(value, what)?.iter().map(|k| VerifierKey::parse(k).map_err(|e| throw(&e))).collect()
}

/// A whole number of at most 2^53 from a JS number.
fn whole(value: &JsValue, what: &str) -> Result<Option<u64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_992.0 => {
            Ok(Some(n as u64))
        }
        _ => Err(usage(&format!("{what} must be a non-negative whole number"))),
    }
}

fn field(object: &JsValue, name: &str) -> JsValue {
    if object.is_object() {
        Reflect::get(object, &name.into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// A core JSON value as a plain JS object.
fn to_js(value: &Value) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&value.to_string())
}

fn now_or(options: &JsValue) -> Result<u64, JsValue> {
    Ok(whole(&field(options, "now"), "options.now")?
        .unwrap_or((js_sys::Date::now() / 1000.0) as u64))
}

/// Verifies a presentation against a signed trust list; returns the report.
///
/// `options`: `trustListSigners` (vkeys allowed to sign the trust list, required), `now`,
/// `minTrustListSequence`, `maxTrustListAge`, `maxCheckpointAge`, `statusLists`.
#[wasm_bindgen]
pub fn verify(
    presentation: JsValue,
    trust_list: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let signers = keys(&field(&options, "trustListSigners"), "options.trustListSigners")?;
    if signers.is_empty() {
        return Err(usage(
            "options.trustListSigners must name the keys allowed to sign the trust list",
        ));
    }
    let mut o = Options::new(now_or(&options)?, signers);
    if let Some(n) =
        whole(&field(&options, "minTrustListSequence"), "options.minTrustListSequence")?
    {
        o.min_trust_list_sequence = n;
    }
    if let Some(n) = whole(&field(&options, "maxTrustListAge"), "options.maxTrustListAge")? {
        o.max_trust_list_age = n;
    }
    if let Some(n) = whole(&field(&options, "maxCheckpointAge"), "options.maxCheckpointAge")? {
        o.max_checkpoint_age = n;
    }
    o.status_lists = strings(&field(&options, "statusLists"), "options.statusLists")?;
    let report = record::verify(
        &bytes(&presentation, "presentation")?,
        &bytes(&trust_list, "trustList")?,
        &o,
    );
    to_js(&report.to_json())
}

/// Verifies a signed note with trusted vkeys; returns `{ text, verified: [{name, keyId, timestamp}] }`.
#[wasm_bindgen(js_name = verifyNote)]
pub fn verify_note(note: JsValue, keys_: JsValue) -> Result<JsValue, JsValue> {
    let keys = keys(&keys_, "keys")?;
    let parsed = Note::parse(&bytes(&note, "note")?).map_err(|e| throw(&e))?;
    let verified = note::verify(&parsed, &keys).map_err(|e| throw(&e))?;
    let out = js_sys::Object::new();
    let list = Array::new();
    for s in verified.verified() {
        let item = js_sys::Object::new();
        let _ = Reflect::set(&item, &"name".into(), &s.name.clone().into());
        let _ = Reflect::set(&item, &"keyId".into(), &format!("{:08x}", s.key_id).into());
        let ts = s.timestamp.map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64));
        let _ = Reflect::set(&item, &"timestamp".into(), &ts);
        list.push(&item);
    }
    let _ = Reflect::set(&out, &"text".into(), &verified.text().into());
    let _ = Reflect::set(&out, &"verified".into(), &list);
    Ok(out.into())
}

/// Verifies a checkpoint under a c2sp.org/tlog-policy text; returns origin, size, root
/// (base64), log and cosigners.
#[wasm_bindgen(js_name = verifyCheckpoint)]
pub fn verify_checkpoint(checkpoint: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
    let policy = Policy::parse(&text(&policy, "policy")?).map_err(|e| throw(&e))?;
    let v = policy.verify_checkpoint(&bytes(&checkpoint, "checkpoint")?).map_err(|e| throw(&e))?;
    let cosigners: Vec<String> = v
        .cosigners
        .iter()
        .map(|c| {
            format!(
                r#"{{"name":{},"keyName":{},"timestamp":{}}}"#,
                healthproof::json::to_json_string(&c.name),
                healthproof::json::to_json_string(&c.key_name),
                c.timestamp.map_or("null".to_owned(), |t| t.to_string())
            )
        })
        .collect();
    let json = format!(
        r#"{{"origin":{},"treeSize":{},"rootHash":"{}","log":{},"quorum":{},"cosigners":[{}]}}"#,
        healthproof::json::to_json_string(v.checkpoint.origin()),
        v.checkpoint.tree_size(),
        base64::encode(v.checkpoint.root_hash()),
        healthproof::json::to_json_string(&v.log_key_name),
        v.quorum,
        cosigners.join(",")
    );
    js_sys::JSON::parse(&json)
}

/// A hash from a `Uint8Array`, or hex or base64 text.
fn hash_bytes(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = value.as_string() {
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok((0..32)
                .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
                .collect());
        }
        return base64::decode(&s)
            .ok_or_else(|| usage(&format!("{what} is neither hex nor base64")));
    }
    bytes(value, what)
}

fn proof(value: &JsValue) -> Result<Vec<Hash>, JsValue> {
    if !Array::is_array(value) {
        return Err(usage("proof must be an array of hashes"));
    }
    Array::from(value)
        .iter()
        .map(|h| {
            let b = hash_bytes(&h, "a proof hash")?;
            Hash::try_from(b.as_slice()).map_err(|_| throw(&Error::HashLength { found: b.len() }))
        })
        .collect()
}

/// Verifies an RFC 9162 inclusion proof; returns `true` or throws.
#[wasm_bindgen(js_name = verifyInclusion)]
pub fn verify_inclusion(
    leaf_hash: JsValue,
    index: JsValue,
    size: JsValue,
    proof_: JsValue,
    root: JsValue,
) -> Result<bool, JsValue> {
    let index = whole(&index, "index")?.ok_or_else(|| usage("index is required"))?;
    let size = whole(&size, "size")?.ok_or_else(|| usage("size is required"))?;
    merkle::verify_inclusion(
        &hash_bytes(&leaf_hash, "leafHash")?,
        index,
        size,
        &proof(&proof_)?,
        &hash_bytes(&root, "root")?,
    )
    .map_err(|e| throw(&e))?;
    Ok(true)
}

/// Verifies an RFC 9162 consistency proof; returns `true` or throws.
#[wasm_bindgen(js_name = verifyConsistency)]
pub fn verify_consistency(
    size1: JsValue,
    size2: JsValue,
    proof_: JsValue,
    root1: JsValue,
    root2: JsValue,
) -> Result<bool, JsValue> {
    let size1 = whole(&size1, "size1")?.ok_or_else(|| usage("size1 is required"))?;
    let size2 = whole(&size2, "size2")?.ok_or_else(|| usage("size2 is required"))?;
    merkle::verify_consistency(
        size1,
        size2,
        &proof(&proof_)?,
        &hash_bytes(&root1, "root1")?,
        &hash_bytes(&root2, "root2")?,
    )
    .map_err(|e| throw(&e))?;
    Ok(true)
}

/// Verifies a signed trust list; returns its sequence, issue time, issuers, logs, witnesses.
#[wasm_bindgen(js_name = parseTrustList)]
pub fn parse_trust_list(
    list: JsValue,
    signers: JsValue,
    min_sequence: JsValue,
) -> Result<JsValue, JsValue> {
    let signers = keys(&signers, "signers")?;
    let min = whole(&min_sequence, "minSequence")?.unwrap_or(0);
    let t = TrustList::verify(&bytes(&list, "trustList")?, &signers, min).map_err(|e| throw(&e))?;
    let q = healthproof::json::to_json_string;
    let issuers: Vec<String> = t
        .issuers()
        .iter()
        .map(|i| {
            let revoked = i.revoked.as_ref().map_or("null".to_owned(), |(at, why)| format!(r#"{{"at":{at},"reason":{}}}"#, q(why)));
            format!(
                r#"{{"kid":{},"country":{},"organisation":{},"notBefore":{},"notAfter":{},"revoked":{revoked}}}"#,
                q(&i.kid),
                q(&i.country),
                q(&i.organisation),
                i.not_before,
                i.not_after
            )
        })
        .collect();
    let logs: Vec<String> = t.policy().logs().iter().map(|l| q(&l.origin)).collect();
    let witnesses: Vec<String> = t.policy().witnesses().iter().map(|w| q(&w.name)).collect();
    let json = format!(
        r#"{{"sequence":{},"issued":{},"issuers":[{}],"logs":[{}],"witnesses":[{}]}}"#,
        t.sequence(),
        t.issued(),
        issuers.join(","),
        logs.join(","),
        witnesses.join(",")
    );
    js_sys::JSON::parse(&json)
}

/// The same presentation with only the named disclosures (patient fields, section keys).
#[wasm_bindgen]
pub fn disclose(presentation: JsValue, names: JsValue) -> Result<String, JsValue> {
    let names = strings(&names, "names")?;
    let p = Presentation::parse(&bytes(&presentation, "presentation")?).map_err(|e| throw(&e))?;
    Ok(p.select(|d| d.name().is_some_and(|n| names.iter().any(|k| k == n))).to_string())
}

/// The version of the core.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// One step of refreshing a presentation's ledger proof against a newer checkpoint.
///
/// `tiles` maps tile paths (`tile/0/x001/234`) to their bytes. Returns `{ needed: [paths] }`
/// when more tiles must be fetched first, or `{ presentation, consistency, oldSize, newSize }`.
/// The JavaScript `refreshProof` loops over this with `fetch`; the core does no I/O.
#[wasm_bindgen(js_name = refreshStep)]
pub fn refresh_step(
    presentation: JsValue,
    checkpoint: JsValue,
    tiles: JsValue,
) -> Result<JsValue, JsValue> {
    let p = Presentation::parse(&bytes(&presentation, "presentation")?).map_err(|e| throw(&e))?;
    let new_checkpoint = bytes(&checkpoint, "checkpoint")?;
    let needed = std::cell::RefCell::new(Vec::<String>::new());
    let reader = |path: &str| -> Result<Vec<u8>, Error> {
        let tile = field(&tiles, path);
        if tile.is_instance_of::<Uint8Array>() {
            return Ok(Uint8Array::new(&tile).to_vec());
        }
        needed.borrow_mut().push(path.to_owned());
        // A zero-length answer of the right shape lets the walk go on and collect every path.
        Err(Error::ProofMalformed { reason: "a tile is not yet fetched" })
    };
    let result = healthproof::proof::refresh(p.proof(), &new_checkpoint, reader);
    let needed = needed.into_inner();
    let out = js_sys::Object::new();
    if !needed.is_empty() {
        let list: Array = needed.iter().map(|s| JsValue::from_str(s)).collect();
        let _ = Reflect::set(&out, &"needed".into(), &list);
        return Ok(out.into());
    }
    let refreshed = result.map_err(|e| throw(&e))?;
    let updated = Presentation::new(p.sd_jwt().clone(), refreshed.proof);
    let consistency: Array =
        refreshed.consistency.iter().map(|h| JsValue::from_str(&base64::encode(h))).collect();
    let _ = Reflect::set(&out, &"presentation".into(), &updated.to_string().into());
    let _ = Reflect::set(&out, &"consistency".into(), &consistency);
    let _ = Reflect::set(&out, &"oldSize".into(), &JsValue::from_f64(refreshed.old_size as f64));
    let _ = Reflect::set(&out, &"newSize".into(), &JsValue::from_f64(refreshed.new_size as f64));
    Ok(out.into())
}
