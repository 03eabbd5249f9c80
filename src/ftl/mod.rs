//! The Fluent writer: the one place that turns Fluent text into new Fluent text.
//!
//! Two operations, both pure functions of text (no file system):
//!
//! - [`format`] lays a whole file out canonically and keeps everything a translator wrote:
//!   comments of every kind, the blank lines that group entries, Junk byte for byte.
//! - [`Document`] edits one entry (its value, one attribute, an insertion, a removal) and leaves
//!   every other byte of the file unchanged, reporting the bytes it replaced as a [`Change`].
//!
//! `ftlsite fmt` writes through [`format`]; the in-context editor and every later tool that
//! changes translations write through [`Document`]. Both check their output by parsing it back
//! with fluent-syntax: a rewrite never changes what any entry means.
//!
//! fluent-syntax's AST has no spans, so positions are recovered from the `&str` slices the
//! parser returns and from the lines around them.

mod edit;
mod error;
mod index;
mod layout;
mod meaning;
mod offset;
mod printer;
#[cfg(test)]
mod tests;

pub use edit::{Change, Document};
pub use error::EditError;
pub use layout::format;
