use super::shell_support::Call;
use super::{Check, Context};

crate::declare_rule! {
    /// `go install` of a remote package at `@latest`.
    ///
    /// `go install example.com/tool@latest` resolves "latest" on the day of the build; write
    /// the version (`@v1.2.3`) so rebuilds install the same tool. Packages without `@` take
    /// their version from the current module's `go.mod`, and local packages (`./cmd/app`) and
    /// packages named by a variable are not reported.
    ///
    /// ```dockerfile invalid
    /// FROM golang:1.23
    /// RUN go install golang.org/x/tools/gopls@latest
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM golang:1.23
    /// RUN go install golang.org/x/tools/gopls@v0.16.2 && go install ./cmd/app
    /// ```
    ///
    /// **Fix:** replace `@latest` with a version.
    pub GoInstallVersion {
        code: "DFL317",
        name: "go-install-version",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3062"],
        scope: Stage,
    }
}

const GO_VALUE_OPTS: &[&str] = &[
    "-C",
    "-p",
    "-o",
    "-tags",
    "-ldflags",
    "-gcflags",
    "-mod",
    "-modfile",
    "-overlay",
    "-pkgdir",
    "-toolexec",
    "-asmflags",
    "-buildmode",
    "-compiler",
    "-gccgoflags",
    "-installsuffix",
    "-pgo",
];

impl Check for GoInstallVersion {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                if cmd.program_name() != "go" {
                    continue;
                }
                let call = Call::parse(cmd.program_args(), GO_VALUE_OPTS, true);
                if !call.sub_is(&["install"]) {
                    continue;
                }
                for p in &call.operands {
                    let t = p.text.as_str();
                    if !p.is_static || t.starts_with('.') || t.starts_with('/') || !t.contains('.')
                    {
                        continue;
                    }
                    // Without `@`, the version comes from the current module's go.mod.
                    if let Some((pkg, "latest")) = t.rsplit_once('@') {
                        cx.report(
                            p.range,
                            format!("Pin '{pkg}' to a version instead of @latest"),
                        );
                    }
                }
            }
        }
    }
}
