//! The lint rules and the framework they share.
//!
//! One rule per file. Each file declares its rule with [`declare_rule!`], whose doc comment
//! is the rule's documentation (what it does, why, an invalid and a valid example, the fix;
//! `docs/rules.md` is generated from it) and whose header carries the stable code, the
//! kebab-case name, the default severity, whether it is on by default, whether it has a fix
//! and its equivalents in hadolint (`DL3006`), BuildKit (`BuildKit:UndefinedVar`) or
//! ShellCheck (`SC2086`). Every rule is listed in [`REGISTRY`], sorted by code.
//!
//! Codes: `DFL0xx` syntax errors, `DFL1xx` BuildKit build checks, `DFL2xx` instruction-level
//! best practices (base images, users, stages, layers), `DFL3xx` shell analysis of RUN,
//! `DFL4xx` build-context and secret checks.
//!
//! Doc examples are fenced as ```` ```dockerfile invalid ```` / ```` ```dockerfile valid ````
//! and run as tests: the invalid one must trigger the rule, the valid one must not.

use crate::diagnostic::{Diagnostic, Fix, Severity, Tag};
use crate::syntax::shell::ShellIndex;
use crate::syntax::{Dockerfile, TextRange};

pub mod buildkit;
pub mod docs;

mod dfl001_unknown_instruction;
mod dfl002_missing_arguments;
mod dfl003_instruction_before_from;
mod dfl004_unterminated_heredoc;
mod dfl005_unknown_flag;
mod dfl006_invalid_flag_value;
mod dfl007_invalid_directive;
mod dfl008_invalid_arguments;
mod dfl009_no_instructions;
mod dfl010_unknown_rule_in_pragma;
pub(crate) mod dfl101_consistent_instruction_casing;
mod dfl102_copy_ignored_file;
mod dfl103_duplicate_stage_name;
mod dfl104_expose_invalid_format;
mod dfl105_expose_proto_casing;
mod dfl106_from_as_casing;
mod dfl107_from_platform_flag_const_disallowed;
mod dfl108_invalid_default_arg_in_from;
mod dfl109_invalid_definition_description;
mod dfl110_json_args_recommended;
mod dfl111_legacy_key_value_format;
mod dfl112_maintainer_deprecated;
mod dfl113_multiple_instructions_disallowed;
mod dfl114_no_empty_continuation;
mod dfl115_redundant_target_platform;
mod dfl116_reserved_stage_name;
mod dfl117_secrets_used_in_arg_or_env;
mod dfl118_stage_name_casing;
mod dfl119_undefined_arg_in_from;
mod dfl120_undefined_var;
mod dfl121_workdir_relative_path;
mod dfl201_runs_as_root;
pub(crate) mod dfl202_unpinned_base_image;
mod dfl203_base_image_not_pinned_by_digest;
mod dfl204_undefined_stage;
mod dfl205_circular_stage_dependency;
mod dfl206_forward_stage_reference;
mod dfl207_invalid_port;
mod dfl208_add_instead_of_copy;
mod dfl209_copy_dest_not_directory;
mod dfl210_untrusted_registry;
mod dfl212_env_same_statement_reference;
mod dfl213_relative_copy_without_workdir;
mod dfl214_invalid_label_key;
mod dfl215_label_schema;
mod dfl216_missing_healthcheck;
mod dfl217_consecutive_run;
mod dfl218_invalid_exec_form_json;
pub(crate) mod dfl300_misordered_copy;
mod dfl301_apt_pin_versions;
mod dfl302_apt_lists_not_deleted;
mod dfl303_apt_missing_yes;
mod dfl304_apt_no_install_recommends;
mod dfl305_apt_in_scripts;
mod dfl306_apk_pin_versions;
mod dfl307_apk_no_cache;
mod dfl308_pip_pin_versions;
mod dfl309_pip_no_cache_dir;
mod dfl310_pipe_without_pipefail;
mod dfl311_cd_instead_of_workdir;
mod dfl312_sudo;
mod dfl313_misspelled_package_option;
mod dfl314_npm_pin_versions;
mod dfl315_yarn_cache_clean;
mod dfl316_gem_pin_versions;
mod dfl317_go_install_version;
mod dfl318_rpm_missing_yes;
mod dfl319_rpm_cache_not_cleaned;
mod dfl320_rpm_pin_versions;
mod dfl321_curl_and_wget;
mod dfl322_unsuitable_command;
mod dfl323_useradd_high_uid;
mod dfl324_wget_progress;
mod dfl325_ln_bin_sh;
mod dfl326_copy_archive_then_extract;
mod dfl330_shellcheck;
mod dfl400_copy_source_missing;
mod dfl450_build_tools_in_final_image;
pub(crate) mod shell_support;
pub(crate) mod stages;

/// Whether a rule offers a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
}

impl FixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "none",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
        }
    }
}

/// What a rule's findings depend on: decides what [`crate::lint::lint_incremental`] may keep
/// from the previous lint after an edit. The outline is what `lint` fingerprints per file:
/// the escape character, the global instructions, every stage's name, `FROM` line and
/// `SHELL`s, and every stage reference (`COPY --from`, `RUN --mount=…from=`) as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Anything in the file: re-run on every lint.
    File,
    /// A finding lies in the span of one stage (from its `FROM` to the next `FROM`) and
    /// depends only on the text of that span, of the spans next to it, of the stages it is
    /// built `FROM` (transitively), on the outline and on the build context. After an edit
    /// the rule re-runs only on the stages that may have changed; it may use
    /// [`Context::focused`] / [`Context::instructions_of`] / [`Context::stages`] to skip the
    /// others (findings outside them are dropped anyway).
    Stage,
    /// A finding depends only on the outline and on the text it covers: when the outline is
    /// unchanged the previous findings are kept (moved with the edit) and the rule does not
    /// run, unless one of them overlaps the edit.
    Outline,
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub default_enabled: bool,
    pub fix: FixKind,
    /// `DL3006`, `BuildKit:UndefinedVar`, `SC2086`.
    pub equivalents: &'static [&'static str],
    pub tags: &'static [Tag],
    /// The doc comment (markdown).
    pub docs: &'static str,
    /// What the findings depend on (incremental lint).
    pub scope: Scope,
    /// Messages cite line numbers (`line 12`): after an edit that moves lines, findings
    /// past it are recomputed rather than moved.
    pub cites_lines: bool,
    /// Findings depend on the build context ([`Context::build_context`]): when the context's
    /// answers may have changed (another [`BuildContext::stamp`]), they are recomputed.
    pub reads_context: bool,
}

impl RuleMeta {
    /// The first line of the docs.
    pub fn summary(&self) -> &'static str {
        self.docs
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
    }

    /// True when `id` names this rule: its code, its name, or one of its equivalents
    /// (`BuildKit:X` also matches plain `X`). Case-insensitive.
    pub fn is_named(&self, id: &str) -> bool {
        let id = id.trim();
        self.code.eq_ignore_ascii_case(id)
            || self.name.eq_ignore_ascii_case(id)
            || self.equivalents.iter().any(|e| {
                e.eq_ignore_ascii_case(id)
                    || e.strip_prefix("BuildKit:")
                        .is_some_and(|b| b.eq_ignore_ascii_case(id))
            })
    }

    /// The hadolint code, if the rule has one.
    pub fn hadolint_code(&self) -> Option<&'static str> {
        self.equivalents
            .iter()
            .copied()
            .find(|e| e.starts_with("DL"))
    }

    /// The BuildKit check name, if the rule has one.
    pub fn buildkit_name(&self) -> Option<&'static str> {
        self.equivalents
            .iter()
            .find_map(|e| e.strip_prefix("BuildKit:"))
    }
}

/// Read-only access to the build context (the directory the build is run from).
/// Rules that need it must stay silent when it is absent.
pub trait BuildContext: Send + Sync {
    /// The contents of the context's `.dockerignore` (or `<Dockerfile>.dockerignore`).
    fn dockerignore(&self) -> Option<String>;
    /// True when `path` (relative to the context root, `/`-separated, may contain globs)
    /// matches at least one file or directory in the context.
    fn path_exists(&self, path: &str) -> bool;
    /// Names a fixed set of answers: two lints given contexts with the same `Some` stamp got
    /// the same answers, so an incremental lint may keep findings that depend on them.
    /// `None` (the default) promises nothing.
    fn stamp(&self) -> Option<u64> {
        None
    }
}

/// Everything a rule sees.
pub struct Context<'a> {
    pub file: &'a Dockerfile,
    pub text: &'a str,
    pub settings: &'a crate::config::Settings,
    pub build_context: Option<&'a dyn BuildContext>,
    /// Runs ShellCheck for the `shellcheck` rule; `None` keeps the rules free of processes
    /// (see [`crate::shellcheck`] and [`crate::lint::lint_with`]).
    pub shellcheck: Option<&'a dyn crate::shellcheck::ShellCheckRunner>,
    meta: &'static RuleMeta,
    out: Vec<Diagnostic>,
    /// The shell analysis of every `RUN`, built on first use and shared by the rules of one
    /// lint (see [`Context::shell`]).
    shell: std::sync::OnceLock<std::sync::Arc<ShellIndex>>,
    /// When set, [`Context::shell`] analyses only the RUNs of these stages (by index): the
    /// incremental lint re-runs the RUN rules on the stages an edit touched.
    pub(crate) focus: Option<Vec<bool>>,
    /// Every stage reference, computed on first use and shared by the stage rules.
    stage_refs: std::sync::OnceLock<std::sync::Arc<Vec<stages::StageRef>>>,
    /// The file's keyword casing votes (lowercase, uppercase) when the caller knows them
    /// (the incremental lint keeps them per stage); counted by the rule otherwise.
    pub(crate) casing_votes: Option<(usize, usize)>,
}

impl<'a> Context<'a> {
    pub fn new(
        file: &'a Dockerfile,
        text: &'a str,
        settings: &'a crate::config::Settings,
        build_context: Option<&'a dyn BuildContext>,
    ) -> Self {
        Context {
            file,
            text,
            settings,
            build_context,
            shellcheck: None,
            meta: REGISTRY[0].meta(),
            out: Vec::new(),
            shell: std::sync::OnceLock::new(),
            focus: None,
            stage_refs: std::sync::OnceLock::new(),
            casing_votes: None,
        }
    }

    /// The shell analysis of every `RUN` (tree-sitter-bash), parsed once per lint and shared
    /// by all rules. Returned as an `Arc` so a rule can read it while it reports.
    pub fn shell(&self) -> std::sync::Arc<ShellIndex> {
        self.shell
            .get_or_init(|| {
                std::sync::Arc::new(ShellIndex::build_focused(
                    self.file,
                    self.text,
                    self.focus.as_deref(),
                ))
            })
            .clone()
    }

    /// True when the incremental lint wants findings about this instruction (an ONBUILD
    /// trigger included): always on a full lint; on a focused one, when the stage span it
    /// lies in is focused (global instructions never are: a focused lint runs only when they
    /// did not change).
    pub fn focused(&self, ins: &crate::syntax::Instruction) -> bool {
        match &self.focus {
            None => true,
            Some(f) => match ins.stage {
                Some(s) => f.get(s).copied().unwrap_or(false),
                None => self.focused_at(ins.range.start),
            },
        }
    }

    /// True when a finding at `offset` would be kept: always on a full lint; on a focused
    /// one, when the stage span holding `offset` (see [`Scope::Stage`]) is focused.
    pub fn focused_at(&self, offset: usize) -> bool {
        match &self.focus {
            None => true,
            Some(f) => {
                stage_span_at(self.file, offset).is_some_and(|s| f.get(s).copied().unwrap_or(false))
            }
        }
    }

    /// The focused stages' top-level instructions, in order (`None` on a full lint).
    fn focused_instructions(
        &self,
    ) -> Option<impl Iterator<Item = &'a crate::syntax::Instruction> + '_> {
        let focus = self.focus.as_ref()?;
        let file: &'a Dockerfile = self.file;
        Some(
            file.stages
                .iter()
                .filter(|s| focus.get(s.index).copied().unwrap_or(false))
                .flat_map(move |s| file.stage_instructions(s)),
        )
    }

    /// [`Dockerfile::instructions_of`] limited to the focused stages (walking only those on
    /// a focused lint).
    pub fn instructions_of(
        &self,
        keywords: &[crate::syntax::Keyword],
    ) -> Vec<&'a crate::syntax::Instruction> {
        match self.focused_instructions() {
            None => self.file.instructions_of(keywords),
            Some(it) => it.filter(|i| keywords.contains(&i.keyword)).collect(),
        }
    }

    /// [`stages::with_triggers_of`] limited to the focused stages.
    pub(crate) fn with_triggers_of(
        &self,
        keywords: &[crate::syntax::Keyword],
    ) -> Vec<&'a crate::syntax::Instruction> {
        let Some(it) = self.focused_instructions() else {
            return stages::with_triggers_of(self.file, keywords);
        };
        let mut out = Vec::new();
        for ins in it.filter(|i| !stages::is_template(i)) {
            if keywords.contains(&ins.keyword) {
                out.push(ins);
            }
            if let Some(t) = ins.onbuild.as_deref().filter(|t| {
                ins.keyword == crate::syntax::Keyword::Onbuild && keywords.contains(&t.keyword)
            }) {
                out.push(t);
            }
        }
        out
    }

    /// The stages, limited to the focused ones.
    pub fn stages(&self) -> Vec<&'a crate::syntax::Stage> {
        let file: &'a Dockerfile = self.file;
        file.stages
            .iter()
            .filter(|s| match &self.focus {
                None => true,
                Some(f) => f.get(s.index).copied().unwrap_or(false),
            })
            .collect()
    }

    /// Every stage reference of the file ([`stages::stage_refs`]), shared by the rules of one
    /// lint.
    pub(crate) fn stage_refs(&self) -> std::sync::Arc<Vec<stages::StageRef>> {
        self.stage_refs
            .get_or_init(|| std::sync::Arc::new(stages::stage_refs(self.file, self.text)))
            .clone()
    }

    /// The source text of `range` (empty when out of bounds).
    pub fn slice(&self, range: TextRange) -> &'a str {
        self.text.get(range.start..range.end).unwrap_or("")
    }

    /// Options for the running rule from the configuration (`[rules.<name>]` table).
    pub fn options(&self) -> Option<&'a serde_json::Value> {
        self.settings.rule_options(self.meta)
    }

    /// Reports a finding of the running rule; returns it so a fix can be attached.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        let meta = self.meta;
        self.out.push(Diagnostic {
            range,
            severity: meta.severity,
            code: meta.code,
            name: meta.name,
            message: message.into().into(),
            equivalents: crate::diagnostic::Equivalents::Static(meta.equivalents),
            tags: meta.tags,
            fixes: Vec::new(),
        });
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// Reports a finding with one fix.
    pub fn report_with_fix(&mut self, range: TextRange, message: impl Into<String>, fix: Fix) {
        self.report(range, message).fixes.push(fix);
    }

    pub(crate) fn run(&mut self, rule: &dyn Rule) {
        self.meta = rule.meta();
        rule.check(self);
    }

    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        self.out
    }
}

/// The index of the stage whose span — from its `FROM` to the next `FROM` — holds `offset`;
/// `None` before the first `FROM`.
pub fn stage_span_at(file: &Dockerfile, offset: usize) -> Option<usize> {
    let after = file.stages.partition_point(|s| s.range.start <= offset);
    after.checked_sub(1)
}

/// A lint rule. Implemented through [`declare_rule!`] + [`Check`].
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &mut Context<'_>);
}

/// The check half of a rule (the other half is generated by [`declare_rule!`]).
pub trait Check {
    fn check(&self, cx: &mut Context<'_>);
}

/// Implemented by [`declare_rule!`].
pub trait HasMeta {
    const META: RuleMeta;
    fn meta_static() -> &'static RuleMeta;
}

impl<T: Check + HasMeta + Send + Sync> Rule for T {
    fn meta(&self) -> &'static RuleMeta {
        T::meta_static()
    }
    fn check(&self, cx: &mut Context<'_>) {
        Check::check(self, cx)
    }
}

/// Declares a rule: a unit struct with its [`RuleMeta`].
///
/// ```ignore
/// declare_rule! {
///     /// Summary line.
///     ///
///     /// Details, examples, fix.
///     pub RunsAsRoot {
///         code: "DFL201",
///         name: "runs-as-root",
///         severity: Warning,
///         default: true,
///         fix: Unsafe,
///         equivalents: ["DL3002"],
///         // optional: tags: [Unnecessary], scope: Stage (default File; see [`Scope`]),
///         // cites_lines: true (messages cite line numbers), reads_context: true (reads
///         // the build context)
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        $vis:vis $name:ident {
            code: $code:literal,
            name: $kebab:literal,
            severity: $sev:ident,
            default: $default:literal,
            fix: $fix:ident,
            equivalents: [$($eq:literal),* $(,)?]
            $(, tags: [$($tag:ident),* $(,)?])?
            $(, scope: $scope:ident)?
            $(, cites_lines: $cites:literal)?
            $(, reads_context: $ctx:literal)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, Default)]
        $vis struct $name;

        impl $crate::rules::HasMeta for $name {
            const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $kebab,
                severity: $crate::diagnostic::Severity::$sev,
                default_enabled: $default,
                fix: $crate::rules::FixKind::$fix,
                equivalents: &[$($eq),*],
                tags: &[$($($crate::diagnostic::Tag::$tag),*)?],
                docs: concat!($($doc, "\n"),*),
                scope: $crate::declare_rule!(@scope $($scope)?),
                cites_lines: $crate::declare_rule!(@flag $($cites)?),
                reads_context: $crate::declare_rule!(@flag $($ctx)?),
            };
            fn meta_static() -> &'static $crate::rules::RuleMeta {
                static META: $crate::rules::RuleMeta = <$name as $crate::rules::HasMeta>::META;
                &META
            }
        }
    };
    (@scope) => { $crate::rules::Scope::File };
    (@scope $scope:ident) => { $crate::rules::Scope::$scope };
    (@flag) => { false };
    (@flag $value:literal) => { $value };
}

/// Every rule, sorted by code. A test checks the order, uniqueness, and that every rule
/// file under `src/rules/` is listed here.
pub static REGISTRY: &[&dyn Rule] = &[
    &dfl001_unknown_instruction::UnknownInstruction,
    &dfl002_missing_arguments::MissingArguments,
    &dfl003_instruction_before_from::InstructionBeforeFrom,
    &dfl004_unterminated_heredoc::UnterminatedHeredoc,
    &dfl005_unknown_flag::UnknownFlag,
    &dfl006_invalid_flag_value::InvalidFlagValue,
    &dfl007_invalid_directive::InvalidDirective,
    &dfl008_invalid_arguments::InvalidArguments,
    &dfl009_no_instructions::NoInstructions,
    &dfl010_unknown_rule_in_pragma::UnknownRuleId,
    &dfl101_consistent_instruction_casing::ConsistentInstructionCasing,
    &dfl102_copy_ignored_file::CopyIgnoredFile,
    &dfl103_duplicate_stage_name::DuplicateStageName,
    &dfl104_expose_invalid_format::ExposeInvalidFormat,
    &dfl105_expose_proto_casing::ExposeProtoCasing,
    &dfl106_from_as_casing::FromAsCasing,
    &dfl107_from_platform_flag_const_disallowed::FromPlatformFlagConstDisallowed,
    &dfl108_invalid_default_arg_in_from::InvalidDefaultArgInFrom,
    &dfl109_invalid_definition_description::InvalidDefinitionDescription,
    &dfl110_json_args_recommended::JsonArgsRecommended,
    &dfl111_legacy_key_value_format::LegacyKeyValueFormat,
    &dfl112_maintainer_deprecated::MaintainerDeprecated,
    &dfl113_multiple_instructions_disallowed::MultipleInstructionsDisallowed,
    &dfl114_no_empty_continuation::NoEmptyContinuation,
    &dfl115_redundant_target_platform::RedundantTargetPlatform,
    &dfl116_reserved_stage_name::ReservedStageName,
    &dfl117_secrets_used_in_arg_or_env::SecretsUsedInArgOrEnv,
    &dfl118_stage_name_casing::StageNameCasing,
    &dfl119_undefined_arg_in_from::UndefinedArgInFrom,
    &dfl120_undefined_var::UndefinedVar,
    &dfl121_workdir_relative_path::WorkdirRelativePath,
    &dfl201_runs_as_root::RunsAsRoot,
    &dfl202_unpinned_base_image::UnpinnedBaseImage,
    &dfl203_base_image_not_pinned_by_digest::BaseImageNotPinnedByDigest,
    &dfl204_undefined_stage::UndefinedStage,
    &dfl205_circular_stage_dependency::CircularStageDependency,
    &dfl206_forward_stage_reference::ForwardStageReference,
    &dfl207_invalid_port::InvalidPort,
    &dfl208_add_instead_of_copy::AddInsteadOfCopy,
    &dfl209_copy_dest_not_directory::CopyDestNotDirectory,
    &dfl210_untrusted_registry::UntrustedRegistry,
    &dfl212_env_same_statement_reference::EnvSameStatementReference,
    &dfl213_relative_copy_without_workdir::RelativeCopyWithoutWorkdir,
    &dfl214_invalid_label_key::InvalidLabelKey,
    &dfl215_label_schema::LabelSchema,
    &dfl216_missing_healthcheck::MissingHealthcheck,
    &dfl217_consecutive_run::ConsecutiveRun,
    &dfl218_invalid_exec_form_json::InvalidExecFormJson,
    &dfl300_misordered_copy::MisorderedCopy,
    &dfl301_apt_pin_versions::AptPinVersions,
    &dfl302_apt_lists_not_deleted::AptListsNotDeleted,
    &dfl303_apt_missing_yes::AptMissingYes,
    &dfl304_apt_no_install_recommends::AptNoInstallRecommends,
    &dfl305_apt_in_scripts::AptInScripts,
    &dfl306_apk_pin_versions::ApkPinVersions,
    &dfl307_apk_no_cache::ApkNoCache,
    &dfl308_pip_pin_versions::PipPinVersions,
    &dfl309_pip_no_cache_dir::PipNoCacheDir,
    &dfl310_pipe_without_pipefail::PipeWithoutPipefail,
    &dfl311_cd_instead_of_workdir::CdInsteadOfWorkdir,
    &dfl312_sudo::Sudo,
    &dfl313_misspelled_package_option::MisspelledPackageOption,
    &dfl314_npm_pin_versions::NpmPinVersions,
    &dfl315_yarn_cache_clean::YarnCacheClean,
    &dfl316_gem_pin_versions::GemPinVersions,
    &dfl317_go_install_version::GoInstallVersion,
    &dfl318_rpm_missing_yes::RpmMissingYes,
    &dfl319_rpm_cache_not_cleaned::RpmCacheNotCleaned,
    &dfl320_rpm_pin_versions::RpmPinVersions,
    &dfl321_curl_and_wget::CurlAndWget,
    &dfl322_unsuitable_command::UnsuitableCommand,
    &dfl323_useradd_high_uid::UseraddHighUid,
    &dfl324_wget_progress::WgetProgress,
    &dfl325_ln_bin_sh::LnBinSh,
    &dfl326_copy_archive_then_extract::CopyArchiveThenExtract,
    &dfl330_shellcheck::ShellCheck,
    &dfl400_copy_source_missing::CopySourceMissing,
    &dfl450_build_tools_in_final_image::BuildToolsInFinalImage,
];

/// Looks a rule up by code, name or equivalent.
pub fn find_rule(id: &str) -> Option<&'static dyn Rule> {
    rule_by_code(id).or_else(|| REGISTRY.iter().copied().find(|r| r.meta().is_named(id)))
}

/// Looks a rule up by its exact code (`DFL301`): a binary search of the sorted registry, for
/// the per-finding lookups of the lint loop.
pub fn rule_by_code(code: &str) -> Option<&'static dyn Rule> {
    REGISTRY
        .binary_search_by(|r| r.meta().code.cmp(code))
        .ok()
        .and_then(|i| REGISTRY.get(i))
        .copied()
}

/// Reports every syntax error of `kind` (used by the DFL0xx rules).
pub(crate) fn report_syntax_errors(
    cx: &mut Context<'_>,
    matches: impl Fn(&crate::syntax::SyntaxErrorKind) -> bool,
) {
    let errors: Vec<_> = cx
        .file
        .errors
        .iter()
        .filter(|e| matches(&e.kind))
        .cloned()
        .collect();
    for e in errors {
        cx.report(e.range, e.message);
    }
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_and_unique() {
        for w in REGISTRY.windows(2) {
            assert!(
                w[0].meta().code < w[1].meta().code,
                "registry not sorted/unique at {} / {}",
                w[0].meta().code,
                w[1].meta().code
            );
        }
        let mut names: Vec<_> = REGISTRY.iter().map(|r| r.meta().name).collect();
        names.sort();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate rule names");
        for r in REGISTRY {
            let m = r.meta();
            assert!(
                m.code.starts_with("DFL") && m.code.len() == 6,
                "bad code {}",
                m.code
            );
            assert!(
                m.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "name not kebab-case: {}",
                m.name
            );
            assert!(!m.summary().is_empty(), "{} has no docs", m.code);
        }
    }

    #[test]
    fn every_rule_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            let Some(stem) = name.strip_suffix(".rs") else {
                continue;
            };
            if !stem.starts_with("dfl") {
                continue;
            }
            let code = stem[..6].to_ascii_uppercase();
            assert!(
                REGISTRY.iter().any(|r| r.meta().code == code),
                "{name} is not in the registry (or its code is not {code})"
            );
        }
    }

    #[test]
    fn doc_examples_behave() {
        for r in REGISTRY {
            let m = r.meta();
            let examples = docs::examples(m);
            assert!(
                examples.iter().any(|(bad, _)| *bad),
                "{} has no invalid example",
                m.code
            );
            let context = docs::example_context(m).map(|files| {
                let dir = tempfile::tempdir().unwrap();
                for (path, content) in files {
                    std::fs::write(dir.path().join(path), content).unwrap();
                }
                let ctx = crate::context::FsBuildContext::new(
                    dir.path().canonicalize().unwrap(),
                    Some(dir.path().join(".dockerignore")),
                );
                (dir, ctx)
            });
            for (invalid, code) in examples {
                let found = match &context {
                    Some((_, ctx)) => test_support::check_with_context(*r, &code, ctx),
                    None => test_support::check(*r, &code),
                };
                if invalid {
                    assert!(
                        !found.is_empty(),
                        "{}: invalid example not reported:\n{code}",
                        m.code
                    );
                } else {
                    assert!(
                        found.is_empty(),
                        "{}: valid example reported:\n{code}\n{}",
                        m.code,
                        test_support::render(&code, &found)
                    );
                }
            }
        }
    }
}
