-- dockerfile-lsp for Neovim 0.7–0.10 (before vim.lsp.config / vim.lsp.enable).
-- Copy to ~/.config/nvim/lua/ and call from init.lua:
--   require('dockerfile_lsp_legacy').setup({ settings = { rules = { DL3008 = 'off' } } })
-- Starts one client per root directory for buffers of filetype `dockerfile`.
local M = {}

local root_markers = { 'dockerfile-lsp.toml', '.hadolint.yaml', '.hadolint.yml', '.git' }

local function find_root(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    for _, marker in ipairs(root_markers) do
      if vim.fn.glob(dir .. '/' .. marker, true) ~= '' then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return vim.fn.fnamemodify(path, ':p:h')
    end
    dir = parent
  end
end

--- opts.cmd: command list (default { 'dockerfile-lsp', 'serve' })
--- opts.settings: the server settings object (rules, ignore, trustedRegistries, ...)
--- opts.on_attach, opts.capabilities: passed through to vim.lsp.start_client
function M.setup(opts)
  opts = opts or {}
  local settings = vim.tbl_deep_extend('force', {
    -- vim.empty_dict(): an empty Lua table would go out as the JSON array [].
    rules = vim.empty_dict(),
    ignore = {},
    trustedRegistries = {},
    failureThreshold = 'warning',
    shellcheck = true,
  }, opts.settings or {})
  local clients = {} -- root dir -> client id

  local function attach(bufnr)
    local name = vim.api.nvim_buf_get_name(bufnr)
    local root = find_root(name ~= '' and name or vim.fn.getcwd() .. '/Dockerfile')
    local id = clients[root]
    if id == nil or vim.lsp.get_client_by_id(id) == nil then
      id = vim.lsp.start_client({
        name = 'dockerfile_lsp',
        cmd = opts.cmd or { 'dockerfile-lsp', 'serve' },
        root_dir = root,
        workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
        init_options = settings,
        settings = { ['dockerfile-lsp'] = settings },
        capabilities = opts.capabilities,
        on_attach = opts.on_attach,
      })
      if id == nil then
        return
      end
      clients[root] = id
    end
    vim.lsp.buf_attach_client(bufnr, id)
  end

  local group = vim.api.nvim_create_augroup('dockerfile_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'dockerfile',
    callback = function(args)
      attach(args.buf)
    end,
  })
end

return M
