//! What is visible at a position: variables (ARG/ENV, global ARGs, BuildKit's predefined
//! ARGs) and earlier stages. Shared by completion and hover; cost is O(instructions of the
//! current stage and its parent stages), never a scan of the whole file.

use crate::syntax::{
    Dockerfile, Instruction, Keyword, Stage, TextRange, PLATFORM_ARGS, PREDEFINED_ARGS,
};

/// Where a variable comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `ARG` before the first FROM.
    GlobalArg,
    /// `ARG` inside the stage (`inherits_global`: declared without a value, takes the global default).
    StageArg {
        inherits_global: bool,
    },
    Env,
    /// `ENV` of a parent stage this stage is built FROM.
    InheritedEnv {
        stage: usize,
    },
    /// BuildKit's automatic platform ARGs (`TARGETPLATFORM`…).
    Platform,
    /// Proxy and build metadata ARGs BuildKit accepts without a declaration.
    Predefined,
}

/// A variable visible at a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    /// `None`: declared without a value (or only known at build time).
    pub value: Option<String>,
    pub origin: Origin,
    /// The key of the defining `ARG`/`ENV` pair.
    pub defined_at: Option<TextRange>,
}

impl Variable {
    /// A one-line description of the value.
    pub fn value_text(&self) -> String {
        match (&self.value, &self.origin) {
            (_, Origin::Platform) => "set by BuildKit at build time".into(),
            (_, Origin::Predefined) => {
                "predefined build argument (empty unless passed with --build-arg)".into()
            }
            (Some(v), _) => format!("= {v}"),
            (None, _) => "declared without a default (empty unless passed with --build-arg)".into(),
        }
    }

    /// Where it was defined, for documentation.
    pub fn origin_text(&self, file: &Dockerfile) -> String {
        let line = |r: Option<TextRange>| {
            r.map(|r| format!(" on line {}", file.lines.line_col(r.start).0 + 1))
                .unwrap_or_default()
        };
        match &self.origin {
            Origin::GlobalArg => format!("global `ARG`{}", line(self.defined_at)),
            Origin::StageArg {
                inherits_global: true,
            } => format!(
                "`ARG`{} (redeclared in the stage; takes the global default)",
                line(self.defined_at)
            ),
            Origin::StageArg { .. } => format!("`ARG`{}", line(self.defined_at)),
            Origin::Env => format!("`ENV`{}", line(self.defined_at)),
            Origin::InheritedEnv { stage } => format!(
                "`ENV`{} of parent stage {}",
                line(self.defined_at),
                file.stages
                    .get(*stage)
                    .map(Stage::display_name)
                    .unwrap_or_default()
            ),
            Origin::Platform => "automatic platform argument of BuildKit".into(),
            Origin::Predefined => "predefined argument of BuildKit".into(),
        }
    }
}

fn upsert(out: &mut Vec<Variable>, v: Variable) {
    if let Some(existing) = out.iter_mut().find(|e| e.name == v.name) {
        *existing = v;
    } else {
        out.push(v);
    }
}

/// Global ARGs declared before `before`.
fn global_args(file: &Dockerfile, before: usize, out: &mut Vec<Variable>) {
    for ins in file.global_instructions() {
        if ins.keyword != Keyword::Arg || ins.range.start >= before {
            continue;
        }
        for p in &ins.pairs {
            upsert(
                out,
                Variable {
                    name: p.key.clone(),
                    value: p.value.clone(),
                    origin: Origin::GlobalArg,
                    defined_at: Some(p.key_range),
                },
            );
        }
    }
}

fn global_default(file: &Dockerfile, name: &str) -> Option<Option<String>> {
    let mut found = None;
    for ins in file.global_instructions() {
        if ins.keyword == Keyword::Arg {
            for p in ins.pairs.iter().filter(|p| p.key == name) {
                found = Some(p.value.clone());
            }
        }
    }
    found
}

/// The stage a stage is built FROM, when it is an earlier stage.
pub fn parent_stage<'a>(file: &'a Dockerfile, stage: &Stage) -> Option<&'a Stage> {
    if stage.image.has_variables || stage.image.tag.is_some() || stage.image.digest.is_some() {
        return None;
    }
    file.stages[..stage.index.min(file.stages.len())]
        .iter()
        .rev()
        .find(|s| {
            s.name()
                .is_some_and(|n| n.eq_ignore_ascii_case(&stage.image.text))
        })
}

fn stage_env(file: &Dockerfile, stage: &Stage, depth: usize, out: &mut Vec<Variable>) {
    if depth > 16 {
        return;
    }
    if let Some(parent) = parent_stage(file, stage) {
        stage_env(file, parent, depth + 1, out);
    }
    for ins in file.stage_instructions(stage) {
        if ins.keyword == Keyword::Env {
            for p in &ins.pairs {
                upsert(
                    out,
                    Variable {
                        name: p.key.clone(),
                        value: p.value.clone(),
                        origin: Origin::InheritedEnv { stage: stage.index },
                        defined_at: Some(p.key_range),
                    },
                );
            }
        }
    }
}

/// The variables visible in `ins` (an instruction of `file`, possibly an ONBUILD) at `offset`.
/// Order: definition order, later definitions replacing earlier ones with the same name.
pub fn variables_at(file: &Dockerfile, ins: &Instruction, offset: usize) -> Vec<Variable> {
    let mut out = Vec::new();
    let in_from = ins.keyword == Keyword::From;
    let stage = ins.stage.and_then(|s| file.stages.get(s));
    match stage {
        Some(stage) if !in_from => {
            if let Some(parent) = parent_stage(file, stage) {
                stage_env(file, parent, 0, &mut out);
            }
            let instructions = file.stage_instructions(stage);
            for other in instructions.iter().filter(|i| i.index < ins.index) {
                for p in &other.pairs {
                    let var = match other.keyword {
                        Keyword::Arg => {
                            let global = global_default(file, &p.key);
                            let inherits = p.value.is_none() && global.is_some();
                            let platform =
                                p.value.is_none() && PLATFORM_ARGS.contains(&p.key.as_str());
                            Variable {
                                name: p.key.clone(),
                                value: if inherits {
                                    global.flatten()
                                } else {
                                    p.value.clone()
                                },
                                origin: if platform && !inherits {
                                    Origin::Platform
                                } else {
                                    Origin::StageArg {
                                        inherits_global: inherits,
                                    }
                                },
                                defined_at: Some(p.key_range),
                            }
                        }
                        Keyword::Env => Variable {
                            name: p.key.clone(),
                            value: p.value.clone(),
                            origin: Origin::Env,
                            defined_at: Some(p.key_range),
                        },
                        _ => continue,
                    };
                    upsert(&mut out, var);
                }
            }
            // Pairs of the same ENV/ARG before the cursor are visible to the later pairs.
            if matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
                for p in ins.pairs.iter().filter(|p| p.range.end < offset) {
                    upsert(
                        &mut out,
                        Variable {
                            name: p.key.clone(),
                            value: p.value.clone(),
                            origin: if ins.keyword == Keyword::Env {
                                Origin::Env
                            } else {
                                Origin::StageArg {
                                    inherits_global: false,
                                }
                            },
                            defined_at: Some(p.key_range),
                        },
                    );
                }
            }
            if ins.keyword == Keyword::Run
                || ins
                    .onbuild
                    .as_ref()
                    .is_some_and(|o| o.keyword == Keyword::Run)
            {
                for name in PREDEFINED_ARGS {
                    if !out.iter().any(|v| v.name == *name) {
                        out.push(Variable {
                            name: name.to_string(),
                            value: None,
                            origin: Origin::Predefined,
                            defined_at: None,
                        });
                    }
                }
            }
        }
        _ => {
            // FROM lines and the global scope see the global ARGs and the platform ARGs.
            global_args(file, ins.range.start, &mut out);
            if ins.keyword == Keyword::Arg {
                for p in ins.pairs.iter().filter(|p| p.range.end < offset) {
                    upsert(
                        &mut out,
                        Variable {
                            name: p.key.clone(),
                            value: p.value.clone(),
                            origin: Origin::GlobalArg,
                            defined_at: Some(p.key_range),
                        },
                    );
                }
            }
            for name in PLATFORM_ARGS {
                if !out.iter().any(|v| v.name == *name) {
                    out.push(Variable {
                        name: name.to_string(),
                        value: None,
                        origin: Origin::Platform,
                        defined_at: None,
                    });
                }
            }
        }
    }
    out
}

/// The stages an instruction of stage `current` may refer to: the earlier ones.
pub fn earlier_stages(file: &Dockerfile, current: Option<usize>) -> &[Stage] {
    match current {
        Some(c) => file.stages.get(..c).unwrap_or(&[]),
        None => &[],
    }
}
