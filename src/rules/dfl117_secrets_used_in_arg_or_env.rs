use super::{Check, Context};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// An `ARG` or `ENV` name says it holds a secret (`DB_PASSWORD`, `GITHUB_TOKEN`, `API_KEY`).
    ///
    /// `ENV` values are stored in the image config and `ARG` values in the build history:
    /// anyone who can pull the image can read them. Secrets belong in secret mounts, which
    /// never reach the image.
    ///
    /// The name is matched exactly as BuildKit does: split at `_`, case-insensitive, a
    /// secret word is one of `apikey`, `auth`, `credential(s)`, `key`, `password`, `pword`,
    /// `passwd`, `secret`, `token`; a name that also has the word `public`, `file` or
    /// `version` is allowed. So `USERNAME`, `TOKENIZER` or `KEYCLOAK_URL` are not reported,
    /// while `AUTH_URL` and `GPG_KEY` are (BuildKit reports them too; suppress where the
    /// value is not secret). Global `ARG`s are not checked (as in BuildKit): a stage must
    /// redeclare them to use them, and that redeclaration is checked.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// ARG NPM_TOKEN
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// ARG USERNAME
    /// ENV PUBLIC_KEY_FILE=/etc/key.pub
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
    /// ```
    ///
    /// **Fix:** pass the secret with `RUN --mount=type=secret,id=…` (and
    /// `docker build --secret id=…`).
    pub SecretsUsedInArgOrEnv {
        code: "DFL117",
        name: "secrets-used-in-arg-or-env",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["BuildKit:SecretsUsedInArgOrEnv"],
        scope: Stage,
    }
}

const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const ALLOW_WORDS: &[&str] = &["public", "file", "version"];

/// BuildKit's `(?i)(?:_|^)(?:words)(?:_|$)` deny and allow patterns.
pub(crate) fn is_secret_name(key: &str) -> bool {
    let has = |list: &[&str]| {
        key.split('_')
            .any(|w| list.iter().any(|s| s.eq_ignore_ascii_case(w)))
    };
    has(SECRET_WORDS) && !has(ALLOW_WORDS)
}

impl Check for SecretsUsedInArgOrEnv {
    fn check(&self, cx: &mut Context<'_>) {
        for ins in cx.instructions_of(&[Keyword::Arg, Keyword::Env]) {
            if ins.stage.is_none() {
                continue;
            }
            let name = ins.keyword.as_str();
            for p in ins.pairs.iter().filter(|p| is_secret_name(&p.key)) {
                cx.report(
                    p.key_range,
                    format!(
                        "Do not use ARG or ENV instructions for sensitive data ({name} \"{}\"): the value stays in the image; use a secret mount (RUN --mount=type=secret,id=…) instead.",
                        p.key
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn buildkit_cases() {
        insta::assert_snapshot!(snapshot(
            &super::SecretsUsedInArgOrEnv,
            "FROM scratch\nARG SECRET_PASSPHRASE\nENV SUPER_Secret=foo\nENV password=bar secret=baz\nARG super_duper_secret_token=foo auth=bar\nENV apikey=bar sunflower=foo\nENV git_key=\nENV PUBLIC_KEY=\nARG public_token\nARG SECRET_PASSPHRASE_FILE\nENV password_file=bar secret_File=baz\nARG AUTH_MODULE_VERSION\n"
        ));
    }

    #[test]
    fn look_alikes_are_silent() {
        let f = "ARG GLOBAL_TOKEN\nFROM scratch\nARG USERNAME\nENV TOKENIZER_PATH=/t KEYCLOAK_URL=x MONKEY=1 AUTHOR=me PASSWORD_FILE=/run/p\nENV SECRETARY=x\n";
        assert_eq!(snapshot(&super::SecretsUsedInArgOrEnv, f), "");
    }
}
