//! Live preview (in progress).
