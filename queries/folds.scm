; Folding ranges over the tree-sitter Dockerfile grammar.
; @fold: a region that can be folded when it spans several lines.
; @comment: a comment line; consecutive ones are grouped into one fold by the caller.
; The typed model adds stages, instructions and heredocs where the tree has ERROR gaps.

[
  (from_instruction)
  (run_instruction)
  (cmd_instruction)
  (label_instruction)
  (expose_instruction)
  (env_instruction)
  (add_instruction)
  (copy_instruction)
  (entrypoint_instruction)
  (volume_instruction)
  (user_instruction)
  (workdir_instruction)
  (arg_instruction)
  (onbuild_instruction)
  (stopsignal_instruction)
  (healthcheck_instruction)
  (shell_instruction)
  (maintainer_instruction)
  (heredoc_block)
  (json_string_array)
] @fold

(comment) @comment
