use super::stages::{parent_stage, resolve_any, RefKind};
use super::{Check, Context};

crate::declare_rule! {
    /// A stage copies or mounts from itself, or from a stage that depends on it.
    ///
    /// `COPY --from=<name>` and `RUN --mount=…,from=<name>` make the current stage depend on
    /// the named stage. A stage cannot depend on itself, directly or through other stages:
    /// BuildKit stops with `circular dependency detected on stage: <name>`.
    /// `ONBUILD` triggers are not checked (they run in another Dockerfile's build).
    ///
    /// ```dockerfile invalid
    /// FROM node:20 AS web
    /// COPY --from=web /app/dist /srv
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM node:20 AS build
    /// RUN npm ci && npm run build
    ///
    /// FROM nginx:1.27 AS web
    /// COPY --from=build /app/dist /usr/share/nginx/html
    /// ```
    ///
    /// **Fix:** copy from the stage that produces the files; to use files of the current
    /// stage, refer to them by path.
    pub CircularStageDependency {
        code: "DFL205",
        name: "circular-stage-dependency",
        severity: Error,
        default: true,
        fix: None,
        equivalents: ["DL3023"],
        scope: Outline,
    }
}

impl Check for CircularStageDependency {
    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.file;
        let refs = cx.stage_refs();
        let n = df.stages.len();
        // deps[s]: stages s depends on (its FROM base and every --from / mount source).
        let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
        for s in &df.stages {
            if let Some(p) = parent_stage(df, s) {
                deps[s.index].push(p);
            }
        }
        let resolved: Vec<Option<usize>> = refs
            .iter()
            .map(|r| match r.kind {
                RefKind::From => None,
                _ => resolve_any(df, &r.name),
            })
            .collect();
        for (r, t) in refs.iter().zip(&resolved) {
            if let Some(t) = t {
                if let Some(d) = deps.get_mut(r.stage) {
                    d.push(*t);
                }
            }
        }
        // The reference is an edge `r.stage -> t`: it closes a cycle exactly when `t` reaches
        // back to `r.stage`, i.e. when both lie in one strongly connected component.
        let component = components(&deps);
        for (r, t) in refs.iter().zip(&resolved) {
            let Some(t) = *t else { continue };
            let here = df.stages[r.stage].display_name();
            if t == r.stage {
                let msg = format!(
                    "{} refers to stage {here}, the stage it is in: a stage cannot copy from itself (BuildKit: circular dependency). Refer to the files by path, or copy from the stage that produces them.",
                    r.kind.describe(&r.name)
                );
                cx.report(r.range, msg);
            } else if component.get(t) == component.get(r.stage) {
                let msg = format!(
                    "{} makes stage {here} depend on stage {}, which itself depends on {here}: BuildKit fails with a circular dependency.",
                    r.kind.describe(&r.name),
                    df.stages[t].display_name()
                );
                cx.report(r.range, msg);
            }
        }
    }
}

/// The strongly connected component of every node of a graph given as adjacency lists
/// (Tarjan's algorithm, iterative: a long chain of stages must not overflow the stack).
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    // The DFS path: each node with the position of its next edge to follow.
    let mut path: Vec<(usize, usize)> = Vec::new();
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        path.push((root, 0));
        while let Some(top) = path.last_mut() {
            let (v, edge) = *top;
            if let Some(&w) = edges[v].get(edge) {
                top.1 += 1;
                if w >= n {
                    continue;
                }
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    path.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            path.pop();
            if let Some(&(parent, _)) = path.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::components;

    /// Same component exactly when each node reaches the other (checked by brute force).
    #[test]
    fn components_match_mutual_reachability() {
        let graphs: Vec<Vec<Vec<usize>>> = vec![
            vec![],
            vec![vec![0]],
            vec![vec![1], vec![2], vec![0], vec![2, 4], vec![]],
            vec![vec![1], vec![0, 2], vec![3], vec![2], vec![3, 0], vec![5]],
            (0..3000)
                .map(|i| if i == 0 { vec![] } else { vec![i - 1] })
                .collect(),
            (0..300).map(|i| vec![(i + 1) % 300]).collect(),
        ];
        for g in graphs {
            let n = g.len();
            let c = components(&g);
            if n > 400 {
                assert_eq!(c.iter().collect::<std::collections::HashSet<_>>().len(), n);
                continue;
            }
            let reach = |a: usize, b: usize| {
                let mut seen = vec![false; n];
                let mut stack = vec![a];
                while let Some(s) = stack.pop() {
                    if s == b {
                        return true;
                    }
                    if !std::mem::replace(&mut seen[s], true) {
                        stack.extend(g[s].iter().copied());
                    }
                }
                false
            };
            for a in 0..n {
                for b in 0..n {
                    assert_eq!(c[a] == c[b], reach(a, b) && reach(b, a), "{g:?} {a} {b}");
                }
            }
        }
    }
}
