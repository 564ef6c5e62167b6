//! Offline knowledge: documentation of instructions, flags and parser directives, and a
//! catalog of popular base images (flavors, distributions, support dates, sizes).
//!
//! Everything here is static data written by us (no text copied from Docker's
//! documentation) plus small pure helpers. Nothing touches the network or the clock:
//! functions that depend on the date take it as a parameter.

pub mod directives;
pub mod flags;
pub mod images;
pub mod instructions;
pub mod runtimes;

pub use images::{
    defaults_to_nonroot, distro_family, find_image, parse_tag, pinned_suggestions, slim_variant,
    Date, Family, Flavor, Image, Libc, Release, TagInfo,
};
