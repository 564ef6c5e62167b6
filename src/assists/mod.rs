//! Rewrites (`refactor.rewrite` code actions): whole-layout changes the articles we teach
//! recommend. Pure functions over the model; each returns minimal, non-overlapping edits.
//! Rewrites are always offered as unsafe (they change what the image does) and never preferred.
//!
//! * [`non_root`]: create a user the way the base image's distro needs and run as it.
//! * [`deps_first`]: copy the manifests and install dependencies before the source copy.
//! * [`multistage`]: split a single-stage build into a builder and a slim runtime stage.
//! * [`dev_prod`]: a `base` stage shared by `dev` and `prod` targets.
//! * [`asset_stage`]: move an npm/yarn asset build out of a Python/Ruby image into a node stage.
//! * [`exec_form`]: shell-form CMD/ENTRYPOINT to exec form.
//! * [`pin_base`]: pin an unpinned base image to a tag the image catalog suggests.

pub mod asset_stage;
pub mod deps_first;
pub mod dev_prod;
pub mod exec_form;
pub mod multistage;
pub mod non_root;
pub mod pin_base;
mod util;

use crate::diagnostic::Edit;
use crate::rules::BuildContext;
use crate::syntax::{Dockerfile, TextRange};

/// One rewrite on offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assist {
    /// Stable id (`non-root-user`, `multistage`…), used by tests and clients.
    pub id: &'static str,
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Every rewrite that applies to the selection `range` (an empty range is a cursor).
/// `ctx` is the build context when known (some rewrites look for files in it).
pub fn assists(
    file: &Dockerfile,
    text: &str,
    range: TextRange,
    ctx: Option<&dyn BuildContext>,
) -> Vec<Assist> {
    let mut out = Vec::new();
    out.extend(exec_form::assist(file, text, range));
    out.extend(pin_base::assist(file, text, range));
    // A file ending in a line continuation would swallow anything appended or inserted after
    // its last instruction; leave such files to a human.
    if ends_in_continuation(file, text) {
        return out;
    }
    out.extend(deps_first::assist(file, text, range));
    out.extend(non_root::assist(file, text, range));
    out.extend(multistage::assist(file, text, range));
    out.extend(asset_stage::assist(file, text, range));
    out.extend(dev_prod::assist(file, text, range, ctx));
    out
}

fn ends_in_continuation(file: &Dockerfile, text: &str) -> bool {
    text.trim_end_matches([' ', '\t', '\r', '\n'])
        .ends_with(file.escape)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::diagnostic::apply_edits;

    /// Applies the assist `id` offered anywhere in `text` (cursor at offset 0 … end) and
    /// returns the result, or None when not offered.
    pub fn apply(id: &str, text: &str, at: usize) -> Option<String> {
        let file = crate::syntax::parse(text);
        let a = assists(&file, text, TextRange::empty(at), None)
            .into_iter()
            .find(|a| a.id == id)?;
        let (out, skipped) = apply_edits(text, &a.edits);
        assert_eq!(skipped, 0, "overlapping edits in {id}");
        Some(out)
    }

    /// `src` with its `$0` cursor marker removed, and the marker's offset.
    pub fn fixture(src: &str) -> (String, usize) {
        let at = src.find("$0").expect("fixture has a $0 cursor");
        (src.replacen("$0", "", 1), at)
    }

    /// Every assist `id` offered at the `$0` cursor of `src`: its title and the result.
    pub fn offered(id: &str, src: &str) -> Vec<(String, String)> {
        let (text, at) = fixture(src);
        let file = crate::syntax::parse(&text);
        assists(&file, &text, TextRange::empty(at), None)
            .into_iter()
            .filter(|a| a.id == id)
            .map(|a| {
                let (out, skipped) = apply_edits(&text, &a.edits);
                assert_eq!(skipped, 0, "overlapping edits in {id}");
                (a.title, out)
            })
            .collect()
    }

    /// The rewritten text parses without syntax errors, and the rewrite is not offered again
    /// (or is a no-op) on its own output.
    pub fn check_output(id: &str, out: &str) {
        let file = crate::syntax::parse(out);
        assert!(
            file.errors.is_empty(),
            "{id} produced syntax errors: {:?}\n{out}",
            file.errors
        );
        for at in [0, out.len()] {
            if let Some(again) = apply(id, out, at) {
                assert_eq!(again, out, "{id} is not idempotent");
            }
        }
    }
}
