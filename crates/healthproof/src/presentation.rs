//! A HealthProof presentation: what a traveler carries and a portal embeds (`.hproof`,
//! media type `application/vnd.healthproof.presentation`; see `docs/FORMAT.md`).
//!
//! ```text
//! healthproof/v1
//! <SD-JWT with the chosen disclosures, RFC 9901 §4>
//! <c2sp.org/tlog-proof@v1 of the issuer-signed JWT, verbatim>
//! ```
//!
//! The ledger entry is the issuer-signed JWT alone (the SD-JWT up to its first `~`): it holds
//! only salted digests of the record's content, never the content itself.

use core::fmt;

use crate::proof::TlogProof;
use crate::sd_jwt::{SdJwt, MAX_SD_JWT};
use crate::Error;

/// The first line of every presentation.
pub const HEADER: &str = "healthproof/v1";
/// The registered-style media type.
pub const MEDIA_TYPE: &str = "application/vnd.healthproof.presentation";
/// The largest presentation accepted, in bytes.
pub const MAX_PRESENTATION: usize = MAX_SD_JWT + crate::note::MAX_NOTE_SIZE + 8 * 1024;

/// A parsed, not yet verified, presentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    sd_jwt: SdJwt,
    proof: TlogProof,
}

impl Presentation {
    /// A presentation from its parts.
    pub fn new(sd_jwt: SdJwt, proof: TlogProof) -> Presentation {
        Presentation { sd_jwt, proof }
    }

    /// Parses a presentation.
    ///
    /// # Errors
    /// [`Error::TooLarge`], [`Error::PresentationMalformed`], and the errors of
    /// [`SdJwt::parse`] and [`TlogProof::parse`].
    pub fn parse(bytes: &[u8]) -> Result<Presentation, Error> {
        let malformed = |reason| Error::PresentationMalformed { reason };
        if bytes.len() > MAX_PRESENTATION {
            return Err(Error::TooLarge { what: "a presentation", limit: MAX_PRESENTATION });
        }
        let text = core::str::from_utf8(bytes).map_err(|_| malformed("it is not valid UTF-8"))?;
        // No presentation needs '<' or '>': refusing them keeps every presentation safe to
        // embed in an HTML <script> element, whatever unknown signature lines it carries.
        if text.contains(['<', '>']) {
            return Err(malformed("it contains '<' or '>', which no presentation may hold"));
        }
        // Embedding may add white space around it (a newline after <script>).
        let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let text = &format!("{trimmed}\n");
        let rest = text
            .strip_prefix(HEADER)
            .and_then(|r| r.strip_prefix('\n'))
            .ok_or(malformed("the first line is not healthproof/v1"))?;
        let (sd_jwt, proof) = rest.split_once('\n').ok_or(malformed("it has no ledger proof"))?;
        Ok(Presentation {
            sd_jwt: SdJwt::parse(sd_jwt)?,
            proof: TlogProof::parse(proof.as_bytes())?,
        })
    }

    /// The SD-JWT with its disclosures.
    pub fn sd_jwt(&self) -> &SdJwt {
        &self.sd_jwt
    }

    /// The ledger proof.
    pub fn proof(&self) -> &TlogProof {
        &self.proof
    }

    /// The ledger entry: the issuer-signed JWT, without disclosures.
    pub fn ledger_entry(&self) -> &[u8] {
        self.sd_jwt.jwt().as_str().as_bytes()
    }

    /// The same presentation with only the disclosures `keep` accepts.
    pub fn select(&self, keep: impl Fn(&crate::sd_jwt::Disclosure) -> bool) -> Presentation {
        Presentation { sd_jwt: self.sd_jwt.select(keep), proof: self.proof.clone() }
    }

    /// The presentation in its file form.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

impl fmt::Display for Presentation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{HEADER}\n{}\n{}", self.sd_jwt, self.proof)
    }
}
