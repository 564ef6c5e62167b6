-- dockerfile-lsp for Neovim 0.11+ (vim.lsp.config shape).
-- Put this file on your 'runtimepath' as lsp/dockerfile_lsp.lua (e.g. ~/.config/nvim/lsp/) and
-- call vim.lsp.enable('dockerfile_lsp'). Override fields with vim.lsp.config('dockerfile_lsp', {...}).
---@type vim.lsp.Config
return {
  cmd = { 'dockerfile-lsp', 'serve' },
  filetypes = { 'dockerfile' },
  root_markers = { 'dockerfile-lsp.toml', '.hadolint.yaml', '.hadolint.yml', '.git' },
  -- Answered to workspace/configuration (section "dockerfile-lsp") and sent with
  -- workspace/didChangeConfiguration.
  settings = {
    ['dockerfile-lsp'] = {
      -- vim.empty_dict(): an empty Lua table would go out as the JSON array [].
      rules = vim.empty_dict(),
      ignore = {},
      trustedRegistries = {},
      failureThreshold = 'warning',
      shellcheck = true,
    },
  },
  -- The same object as initializationOptions, so the first diagnostics already use it.
  before_init = function(params, config)
    params.initializationOptions = (config.settings or {})['dockerfile-lsp']
  end,
}
