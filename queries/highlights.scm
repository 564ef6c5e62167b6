; Semantic tokens over the tree-sitter Dockerfile grammar. Capture names are token types of
; the legend in src/ide/semantic_tokens.rs, optionally followed by `.modifier`.
; Keywords, flags, stage names and variables come from the typed model (so ERROR regions
; of the tree still highlight); this file adds the rest.

(comment) @comment

[
  (double_quoted_string)
  (single_quoted_string)
  (json_string)
] @string

(heredoc_block) @string

[
  (heredoc_marker)
  (heredoc_end)
] @label

(escape_sequence) @string

(image_spec
  name: (image_name) @type)

(image_tag) @number

(image_digest) @number

(expose_port) @number

(label_pair
  key: (_) @property)

(param
  name: _ @parameter)

(mount_param_param) @property

(expansion_operator) @operator

(line_continuation) @operator

[
  "="
  "@"
] @operator
