//! Why a single-entry edit was refused. A refused edit leaves the document unchanged.

use fluent_syntax::parser::ParserError;

/// Why [`Document`](super::Document) refused an edit.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// No message or term has this id (terms are named with their `-`).
    #[error("no message or term `{0}`")]
    UnknownId(String),
    /// The entry has no attribute of this name.
    #[error("`{id}` has no attribute `.{attribute}`")]
    UnknownAttribute {
        /// The message or term.
        id: String,
        /// The attribute asked for.
        attribute: String,
    },
    /// The file already defines the message or term being inserted.
    #[error("`{0}` is already defined")]
    DuplicateId(String),
    /// The new Fluent source does not parse. The error's positions are byte offsets into the
    /// source given to the edit (0 when the error lies in the text the writer put around it).
    #[error("invalid Fluent at byte {}: {error}", error.pos.start)]
    Syntax {
        /// The parser's first error.
        error: ParserError,
    },
    /// The source for a value or an attribute is more than one pattern: it also defines
    /// attributes or further entries.
    #[error("expected a single pattern, found {found}")]
    NotAPattern {
        /// What the source holds instead, e.g. `a pattern and 1 attribute`.
        found: String,
    },
    /// The source for an insertion is not exactly one message or term.
    #[error("expected one message or term, found {found} entries")]
    NotOneEntry {
        /// How many entries the source holds.
        found: usize,
    },
    /// Written into the file, the new text would change how some other entry parses.
    #[error("the edit would change how the entries around `{0}` parse")]
    DisturbsNeighbours(String),
}

impl EditError {
    /// A syntax error whose positions are moved back by `prefix` bytes, the length of the text
    /// placed before the caller's source.
    pub(crate) fn syntax(mut error: ParserError, prefix: usize) -> Self {
        error.pos = error.pos.start.saturating_sub(prefix)..error.pos.end.saturating_sub(prefix);
        error.slice = error
            .slice
            .map(|s| s.start.saturating_sub(prefix)..s.end.saturating_sub(prefix));
        EditError::Syntax { error }
    }
}
