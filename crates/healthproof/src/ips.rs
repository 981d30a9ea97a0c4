//! The International Patient Summary (HL7 FHIR IPS IG, FHIR R4) as HealthProof records carry it.
//!
//! A record holds the IPS document's patient and its Composition sections. Each patient
//! field (`name`, `birthDate`, `gender`, `identifier`) and each section is a separate SD-JWT
//! disclosure, so a traveler can share exactly what a clinician needs. Sections are keyed by
//! the names below, one per IPS section LOINC code (IPS IG §Composition sections).

use crate::json::{Object, Value};
use crate::Error;

/// IPS sections: record key, LOINC section code, English title.
pub const SECTIONS: &[(&str, &str, &str)] = &[
    ("allergies", "48765-2", "Allergies and intolerances"),
    ("medications", "10160-0", "Medication summary"),
    ("problems", "11450-4", "Problem list"),
    ("immunizations", "11369-6", "Immunizations"),
    ("results", "30954-2", "Results"),
    ("procedures", "47519-4", "History of procedures"),
    ("devices", "46264-8", "Medical devices"),
    ("vital-signs", "8716-3", "Vital signs"),
    ("past-illness", "11348-0", "History of past illness"),
    ("functional-status", "47420-5", "Functional status"),
    ("plan-of-care", "18776-5", "Plan of care"),
    ("social-history", "29762-2", "Social history"),
    ("pregnancy", "10162-6", "History of pregnancy"),
    ("advance-directives", "42348-3", "Advance directives"),
    ("alerts", "104605-1", "Alerts"),
    ("patient-story", "81338-6", "Patient story"),
];

/// The patient fields disclosed one by one, in display order.
pub const PATIENT_FIELDS: &[&str] = &["name", "birthDate", "gender", "identifier"];

/// The section key for a LOINC section code.
pub fn section_key(loinc: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|(_, code, _)| *code == loinc).map(|(key, _, _)| *key)
}

/// One disclosed IPS section, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The record key (`allergies`, …).
    pub key: String,
    /// The LOINC section code.
    pub code: String,
    /// The section title as the issuer wrote it (in the issuer's language).
    pub title: String,
    /// The narrative as plain text (markup removed, never interpreted).
    pub text: String,
    /// The section's FHIR resources.
    pub entries: Vec<Value>,
}

/// The disclosed content of a record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Content {
    /// Disclosed patient fields (FHIR Patient elements), in [`PATIENT_FIELDS`] order.
    pub patient: Vec<(String, Value)>,
    /// Disclosed sections, in [`SECTIONS`] order.
    pub sections: Vec<Section>,
}

/// Reads the disclosed `patient` and `sections` claims of a processed record payload.
///
/// # Errors
/// [`Error::RecordMalformed`] when a disclosed section does not have its expected shape.
pub fn content(claims: &Object) -> Result<Content, Error> {
    let mut out = Content::default();
    let object = |name| match claims.get(name) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(Error::RecordMalformed { reason: "patient or sections is not an object" }),
    };
    if let Some(patient) = object("patient")? {
        for field in PATIENT_FIELDS {
            if let Some(v) = patient.get(field) {
                out.patient.push(((*field).to_owned(), v.clone()));
            }
        }
    }
    let Some(sections) = object("sections")? else { return Ok(out) };
    for (name, value) in sections.members() {
        let Some((_, loinc, _)) = SECTIONS.iter().find(|(key, _, _)| key == name) else {
            return Err(Error::RecordMalformed { reason: "a section has an unknown key" });
        };
        if value.get("code").and_then(Value::as_str) != Some(loinc) {
            return Err(Error::RecordMalformed {
                reason: "a section's code is not the LOINC code of its key",
            });
        }
        let field = |f| value.get(f).and_then(Value::as_str).map(str::to_owned);
        let malformed =
            Error::RecordMalformed { reason: "a section lacks its code, title or entries" };
        out.sections.push(Section {
            key: name.clone(),
            code: field("code").ok_or(malformed.clone())?,
            title: field("title").ok_or(malformed.clone())?,
            text: field("text").map(|t| narrative_text(&t)).unwrap_or_default(),
            entries: value.get("entries").and_then(Value::as_array).ok_or(malformed)?.to_vec(),
        });
    }
    let order = |key: &str| SECTIONS.iter().position(|(k, _, _)| *k == key).unwrap_or(usize::MAX);
    out.sections.sort_by_key(|s| order(&s.key));
    Ok(out)
}

/// Turns a FHIR XHTML narrative into plain text: tags become line breaks or nothing, the five
/// XML entities and numeric references are decoded. Nothing is ever rendered as markup.
pub fn narrative_text(xhtml: &str) -> String {
    let mut out = String::with_capacity(xhtml.len());
    let mut rest = xhtml;
    while let Some(start) = rest.find(['<', '&']) {
        out.push_str(rest.get(..start).unwrap_or_default());
        let tail = rest.get(start..).unwrap_or_default();
        if tail.starts_with('<') {
            let end = tail.find('>').map_or(tail.len(), |e| e + 1);
            let tag =
                tail.get(1..end).unwrap_or_default().trim_start_matches('/').to_ascii_lowercase();
            let block = ["p", "br", "li", "tr", "div", "h1", "h2", "h3", "h4", "table", "ul", "ol"];
            if block.iter().any(|b| {
                tag.starts_with(b)
                    && !tag.get(b.len()..).unwrap_or_default().starts_with(char::is_alphanumeric)
            }) && !out.ends_with('\n')
                && !out.is_empty()
            {
                out.push('\n');
            } else if tag.starts_with("td") || tag.starts_with("th") {
                out.push(' ');
            }
            rest = tail.get(end..).unwrap_or_default();
        } else {
            let end = tail.find(';').filter(|&e| e <= 10);
            let entity = end.and_then(|e| tail.get(1..e)).unwrap_or_default();
            let decoded = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                e if e.starts_with("#x") => u32::from_str_radix(e.get(2..).unwrap_or_default(), 16)
                    .ok()
                    .and_then(char::from_u32),
                e if e.starts_with('#') => {
                    e.get(1..).unwrap_or_default().parse().ok().and_then(char::from_u32)
                }
                _ => None,
            };
            match (decoded, end) {
                (Some(c), Some(e)) => {
                    out.push(c);
                    rest = tail.get(e + 1..).unwrap_or_default();
                }
                _ => {
                    out.push('&');
                    rest = tail.get(1..).unwrap_or_default();
                }
            }
        }
    }
    out.push_str(rest);
    let lines: Vec<&str> = out.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    lines.join("\n")
}

/// The claims an issuer discloses one by one, read from a FHIR R4 IPS document Bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// Patient fields present in the Bundle's Patient, in [`PATIENT_FIELDS`] order.
    pub patient: Vec<(String, Value)>,
    /// Sections, by record key: `{code, title, text, entries}`.
    pub sections: Vec<(String, Value)>,
}

/// Reads an IPS document Bundle (FHIR R4): its Composition's subject and sections, with the
/// resources each section references resolved inside the Bundle.
///
/// # Errors
/// [`Error::BundleInvalid`] with the JSON path of the first element that is not as the IPS
/// requires (not a document Bundle, no Composition first, an unresolvable reference, a
/// section without an IPS LOINC code or a title, a section listed twice).
pub fn claims_from_bundle(bundle: &Value) -> Result<Claims, Error> {
    let err = |path: &str, reason| Error::BundleInvalid { path: path.to_owned(), reason };
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(err("$.resourceType", "not a FHIR Bundle"));
    }
    if bundle.get("type").and_then(Value::as_str) != Some("document") {
        return Err(err("$.type", "the Bundle type is not document"));
    }
    let entries =
        bundle.get("entry").and_then(Value::as_array).ok_or(err("$.entry", "no entries"))?;
    let composition = entries
        .first()
        .and_then(|e| e.get("resource"))
        .filter(|r| r.get("resourceType").and_then(Value::as_str) == Some("Composition"))
        .ok_or(err("$.entry[0].resource", "the first entry is not a Composition"))?;
    let resolve = |reference: &str| -> Option<&Value> {
        entries.iter().find_map(|e| {
            let resource = e.get("resource")?;
            let full_url = e.get("fullUrl").and_then(Value::as_str);
            let local = format!(
                "{}/{}",
                resource.get("resourceType").and_then(Value::as_str)?,
                resource.get("id").and_then(Value::as_str).unwrap_or_default()
            );
            (full_url == Some(reference) || local == reference).then_some(resource)
        })
    };
    let subject =
        composition.get("subject").and_then(|s| s.get("reference")).and_then(Value::as_str).ok_or(
            err("$.entry[0].resource.subject", "the Composition has no subject reference"),
        )?;
    let patient = resolve(subject)
        .filter(|p| p.get("resourceType").and_then(Value::as_str) == Some("Patient"))
        .ok_or(err(
            "$.entry[0].resource.subject.reference",
            "does not resolve to a Patient in the Bundle",
        ))?;
    let patient_fields = PATIENT_FIELDS
        .iter()
        .filter_map(|f| patient.get(f).map(|v| ((*f).to_owned(), v.clone())))
        .collect();

    let sections = composition
        .get("section")
        .and_then(Value::as_array)
        .ok_or(err("$.entry[0].resource.section", "the Composition has no sections"))?;
    let mut out: Vec<(String, Value)> = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        let path = format!("$.entry[0].resource.section[{i}]");
        let code = section
            .get("code")
            .and_then(|c| c.get("coding"))
            .and_then(Value::as_array)
            .and_then(|codings| {
                codings
                    .iter()
                    .find(|c| c.get("system").and_then(Value::as_str) == Some("http://loinc.org"))
            })
            .and_then(|c| c.get("code"))
            .and_then(Value::as_str)
            .ok_or(err(&format!("{path}.code"), "the section has no LOINC code"))?;
        let key =
            section_key(code).ok_or(err(&format!("{path}.code"), "not an IPS section code"))?;
        if out.iter().any(|(k, _)| k == key) {
            return Err(err(&format!("{path}.code"), "this IPS section appears twice"));
        }
        let title = section
            .get("title")
            .and_then(Value::as_str)
            .ok_or(err(&format!("{path}.title"), "the section has no title"))?;
        let text = section
            .get("text")
            .and_then(|t| t.get("div"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut resources = Vec::new();
        let refs = section.get("entry").and_then(Value::as_array).unwrap_or_default();
        for (j, r) in refs.iter().enumerate() {
            let reference = r.get("reference").and_then(Value::as_str);
            let resource = reference.and_then(resolve).ok_or(err(
                &format!("{path}.entry[{j}].reference"),
                "does not resolve to a resource in the Bundle",
            ))?;
            resources.push(resource.clone());
        }
        let mut object = Object::default();
        object.insert("code".into(), Value::String(code.to_owned()));
        object.insert("title".into(), Value::String(title.to_owned()));
        object.insert("text".into(), Value::String(text.to_owned()));
        object.insert("entries".into(), Value::Array(resources));
        out.push((key.to_owned(), Value::Object(object)));
    }
    Ok(Claims { patient: patient_fields, sections: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrative_becomes_plain_text() {
        let xhtml = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Penicillin &amp; <b>Aspirin</b></p><ul><li>a &lt;b&gt;</li><li>&#x2713; ok</li></ul><script>alert(1)</script></div>";
        assert_eq!(narrative_text(xhtml), "Penicillin & Aspirin\na <b>\n\u{2713} ok\nalert(1)");
    }
}
