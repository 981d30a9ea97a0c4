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
use healthproof::record::Options;
use healthproof::trust::TrustList;
use healthproof::{base64, Error};
use js_sys::{Array, Reflect, Uint8Array};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
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

/// A whole number of at most 2^53 from a JS number; `None` for `undefined` or `null`.
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

/// A core JSON value, serialised as it stands (numbers as the issuer wrote them).
struct Json<'a>(&'a Value);

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => s.serialize_u64(u),
                (None, Some(i)) => s.serialize_i64(i),
                _ => s.serialize_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(text) => s.serialize_str(text),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Json(item))?;
                }
                seq.end()
            }
            Value::Object(object) => {
                let mut map = s.serialize_map(Some(object.members().len()))?;
                for (name, value) in object.members() {
                    map.serialize_entry(name, &Json(value))?;
                }
                map.end()
            }
        }
    }
}

/// A plain JS object (never a `Map`) from a core JSON value: every binding returns its
/// result this one way.
fn to_js(value: &Value) -> Result<JsValue, JsValue> {
    Json(value)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| exception("internal", &e.to_string()))
}

/// A JSON object from its members, in order.
fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    let mut o = healthproof::json::Object::default();
    for (name, value) in members {
        o.insert(name.to_owned(), value);
    }
    Value::Object(o)
}

fn string(text: &str) -> Value {
    Value::String(text.to_owned())
}

fn seconds(time: Option<u64>) -> Value {
    time.map_or(Value::Null, Value::from)
}

/// The names `verify` understands in its options: any other is refused, so a misspelt option
/// is never silently ignored.
const VERIFY_OPTIONS: [&str; 6] = [
    "trustListSigners",
    "now",
    "minTrustListSequence",
    "maxTrustListAge",
    "maxCheckpointAge",
    "statusLists",
];

fn clock() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
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
    let o = verify_options(&options)?;
    let report = healthproof::document::verify(
        &bytes(&presentation, "presentation")?,
        &bytes(&trust_list, "trustList")?,
        &o,
    );
    to_js(&report.to_json())
}

/// [`verify`] with every Ed25519 curve equation left to the caller
/// ([`healthproof::ed25519::deferred`]): returns `{ report, signatures }`, each signature
/// `{ key, message, signature }` as bytes. The report stands only if every signature is
/// valid; if one is not, call [`verify`] for the authoritative report. The package's
/// `verifyAsync` checks them with WebCrypto.
#[wasm_bindgen(js_name = verifyDeferred)]
pub fn verify_deferred(
    presentation: JsValue,
    trust_list: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let o = verify_options(&options)?;
    let presentation = bytes(&presentation, "presentation")?;
    let trust_list = bytes(&trust_list, "trustList")?;
    let (report, deferred) = healthproof::ed25519::deferred(|| {
        healthproof::document::verify(&presentation, &trust_list, &o)
    });
    let signatures = Array::new();
    for d in &deferred {
        let entry = js_sys::Object::new();
        Reflect::set(&entry, &"key".into(), &Uint8Array::from(&d.key[..]))?;
        Reflect::set(&entry, &"message".into(), &Uint8Array::from(&d.message[..]))?;
        Reflect::set(&entry, &"signature".into(), &Uint8Array::from(&d.signature[..]))?;
        signatures.push(&entry);
    }
    let result = js_sys::Object::new();
    Reflect::set(&result, &"report".into(), &to_js(&report.to_json())?)?;
    Reflect::set(&result, &"signatures".into(), &signatures)?;
    Ok(result.into())
}

/// Reads `verify`'s options object, refusing names it does not know.
fn verify_options(options: &JsValue) -> Result<Options, JsValue> {
    if !options.is_object() {
        return Err(usage("options must be an object with trustListSigners"));
    }
    for name in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let name = name.as_string().unwrap_or_default();
        if !VERIFY_OPTIONS.contains(&name.as_str()) {
            return Err(usage(&format!("options.{name} is not an option of verify")));
        }
    }
    let signers = keys(&field(options, "trustListSigners"), "options.trustListSigners")?;
    if signers.is_empty() {
        return Err(usage(
            "options.trustListSigners must name the keys allowed to sign the trust list",
        ));
    }
    let now = whole(&field(options, "now"), "options.now")?.unwrap_or_else(clock);
    let mut o = Options::new(now, signers);
    if let Some(n) = whole(&field(options, "minTrustListSequence"), "options.minTrustListSequence")?
    {
        o.min_trust_list_sequence = n;
    }
    if let Some(n) = whole(&field(options, "maxTrustListAge"), "options.maxTrustListAge")? {
        o.max_trust_list_age = n;
    }
    if let Some(n) = whole(&field(options, "maxCheckpointAge"), "options.maxCheckpointAge")? {
        o.max_checkpoint_age = n;
    }
    o.status_lists = strings(&field(options, "statusLists"), "options.statusLists")?;
    Ok(o)
}

/// Verifies a signed note with trusted vkeys; returns `{ text, verified: [{name, keyId, timestamp}] }`.
#[wasm_bindgen(js_name = verifyNote)]
pub fn verify_note(note: JsValue, keys_: JsValue) -> Result<JsValue, JsValue> {
    let keys = keys(&keys_, "keys")?;
    let parsed = Note::parse(&bytes(&note, "note")?).map_err(|e| throw(&e))?;
    let verified = note::verify(&parsed, &keys).map_err(|e| throw(&e))?;
    let signatures = verified.verified().iter().map(|s| {
        object([
            ("name", string(&s.name)),
            ("keyId", Value::String(format!("{:08x}", s.key_id))),
            ("timestamp", seconds(s.timestamp)),
        ])
    });
    to_js(&object([
        ("text", string(verified.text())),
        ("verified", Value::Array(signatures.collect())),
    ]))
}

/// Verifies a checkpoint under a c2sp.org/tlog-policy text; returns origin, size, root
/// (base64), log and cosigners.
#[wasm_bindgen(js_name = verifyCheckpoint)]
pub fn verify_checkpoint(checkpoint: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
    let policy = Policy::parse(&text(&policy, "policy")?).map_err(|e| throw(&e))?;
    let v = policy.verify_checkpoint(&bytes(&checkpoint, "checkpoint")?).map_err(|e| throw(&e))?;
    let cosigners = v.cosigners.iter().map(|c| {
        object([
            ("name", string(&c.name)),
            ("keyName", string(&c.key_name)),
            ("timestamp", seconds(c.timestamp)),
        ])
    });
    to_js(&object([
        ("origin", string(v.checkpoint.origin())),
        ("treeSize", Value::from(v.checkpoint.tree_size())),
        ("rootHash", Value::String(base64::encode(v.checkpoint.root_hash()))),
        ("log", string(&v.log_key_name)),
        ("quorum", Value::from(v.quorum as u64)),
        ("cosigners", Value::Array(cosigners.collect())),
    ]))
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

/// Verifies a signed trust list; returns its sequence, issue time, issuers, logs, witnesses,
/// EU DCC signer certificates and SMART Health Card issuer keys.
#[wasm_bindgen(js_name = parseTrustList)]
pub fn parse_trust_list(
    list: JsValue,
    signers: JsValue,
    min_sequence: JsValue,
) -> Result<JsValue, JsValue> {
    let signers = keys(&signers, "signers")?;
    let min = whole(&min_sequence, "minSequence")?.unwrap_or(0);
    let t = TrustList::verify(&bytes(&list, "trustList")?, &signers, min).map_err(|e| throw(&e))?;
    let issuers = t.issuers().iter().map(|i| {
        let revoked = i.revoked.as_ref().map_or(Value::Null, |(at, why)| {
            object([("at", Value::from(*at)), ("reason", string(why))])
        });
        object([
            ("kid", string(&i.kid)),
            ("country", string(&i.country)),
            ("organisation", string(&i.organisation)),
            ("notBefore", Value::from(i.not_before)),
            ("notAfter", Value::from(i.not_after)),
            ("revoked", revoked),
        ])
    });
    // EU DCC signer certificates and SMART Health Card issuer keys (the interop lines).
    let dcc = t.dscs().iter().map(|d| {
        object([("country", string(&d.country)), ("kid", Value::String(base64::encode(&d.kid)))])
    });
    let shc = t.shc_keys().iter().map(|k| {
        object([
            ("iss", string(&k.iss)),
            ("kid", string(&k.key.kid)),
            ("revoked", Value::from(k.revoked.len() as u64)),
        ])
    });
    let logs = t.policy().logs().iter().map(|l| string(&l.origin));
    let witnesses = t.policy().witnesses().iter().map(|w| string(&w.name));
    to_js(&object([
        ("sequence", Value::from(t.sequence())),
        ("issued", Value::from(t.issued())),
        ("issuers", Value::Array(issuers.collect())),
        ("logs", Value::Array(logs.collect())),
        ("witnesses", Value::Array(witnesses.collect())),
        ("dccSigners", Value::Array(dcc.collect())),
        ("shcIssuers", Value::Array(shc.collect())),
    ]))
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
    if !needed.is_empty() {
        let needed = needed.iter().map(|p| string(p));
        return to_js(&object([("needed", Value::Array(needed.collect()))]));
    }
    let refreshed = result.map_err(|e| throw(&e))?;
    let consistency = refreshed.consistency.iter().map(|h| Value::String(base64::encode(h)));
    to_js(&object([
        (
            "presentation",
            Value::String(Presentation::new(p.sd_jwt().clone(), refreshed.proof).to_string()),
        ),
        ("consistency", Value::Array(consistency.collect())),
        ("oldSize", Value::from(refreshed.old_size)),
        ("newSize", Value::from(refreshed.new_size)),
    ]))
}
