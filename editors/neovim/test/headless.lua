-- Headless Neovim test: starts dockerfile-lsp with the shipped config, opens Dockerfiles, waits
-- for diagnostics, edits, requests completion and hover, and writes what it saw as JSON.
-- Environment: DFLSP_SERVER (binary), DFLSP_MODE ('config' = lsp/dockerfile_lsp.lua with
-- vim.lsp.enable, 'legacy' = lua/dockerfile_lsp_legacy.lua), DFLSP_NEOVIM_DIR (editors/neovim),
-- DFLSP_FILES (paths separated by newlines; the first is the seed-like fixture), DFLSP_OUT.
local server = assert(os.getenv('DFLSP_SERVER'), 'DFLSP_SERVER')
local mode = os.getenv('DFLSP_MODE') or 'config'
local plugin_dir = assert(os.getenv('DFLSP_NEOVIM_DIR'), 'DFLSP_NEOVIM_DIR')
local files = vim.split(assert(os.getenv('DFLSP_FILES'), 'DFLSP_FILES'), '\n', { trimempty = true })
local out_path = assert(os.getenv('DFLSP_OUT'), 'DFLSP_OUT')
local timeout = 15000
local modern = vim.fn.has('nvim-0.11') == 1

local result = { nvim = tostring(vim.version().major) .. '.' .. vim.version().minor, mode = mode, files = {} }

local published = {} -- uri -> count of publishDiagnostics received
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
  if params and params.uri then
    published[params.uri] = (published[params.uri] or 0) + 1
  end
  return default_publish(err, params, ctx, config)
end

result.messages = {} -- window/showMessage texts (settings warnings land here)
vim.lsp.handlers['window/showMessage'] = function(_, params)
  if params and params.message then
    table.insert(result.messages, params.message)
  end
  return vim.NIL
end

local function client_for(buf)
  local clients = modern and vim.lsp.get_clients({ bufnr = buf, name = 'dockerfile_lsp' })
    or vim.lsp.buf_get_clients(buf)
  for _, c in pairs(clients) do
    if c.name == 'dockerfile_lsp' then
      return c
    end
  end
  return nil
end

local function request_sync(client, method, params, buf)
  if modern then
    return client:request_sync(method, params, timeout, buf)
  end
  return client.request_sync(method, params, timeout, buf)
end

local function diagnostics(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      code = d.code or lsp.code or vim.NIL,
      source = d.source or lsp.source or vim.NIL,
      message = d.message,
    })
  end
  return list
end

local function has_code(buf, code, lnum)
  for _, d in ipairs(diagnostics(buf)) do
    if d.code == code and (lnum == nil or d.lnum == lnum) then
      return true
    end
  end
  return false
end

local function hover_text(res)
  if type(res) ~= 'table' or res.contents == nil then
    return vim.NIL
  end
  local c = res.contents
  if type(c) == 'string' then
    return c
  end
  if c.value then
    return c.value
  end
  local parts = {}
  for _, part in ipairs(c) do
    table.insert(parts, type(part) == 'string' and part or part.value or '')
  end
  return table.concat(parts, '\n')
end

local function run()
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd('filetype on')
  if mode == 'config' then
    vim.lsp.config('dockerfile_lsp', { cmd = { server, 'serve' } })
    vim.lsp.enable('dockerfile_lsp')
  else
    require('dockerfile_lsp_legacy').setup({
      cmd = { server, 'serve' },
      settings = { rules = { DL3008 = 'off' }, ignore = { 'DL3059' } },
    })
  end

  for index, path in ipairs(files) do
    local entry = { path = path }
    table.insert(result.files, entry)
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local buf = vim.api.nvim_get_current_buf()
    entry.detected_filetype = vim.bo[buf].filetype
    if vim.bo[buf].filetype ~= 'dockerfile' then
      vim.bo[buf].filetype = 'dockerfile'
    end
    local uri = vim.uri_from_bufnr(buf)
    entry.attached = vim.wait(timeout, function()
      return client_for(buf) ~= nil
    end, 20)
    local client = client_for(buf)
    if client == nil then
      entry.error = 'no dockerfile_lsp client attached'
      return
    end
    entry.client_name = client.name
    entry.offset_encoding = client.offset_encoding
    entry.got_publish = vim.wait(timeout, function()
      return (published[uri] or 0) > 0 and (index > 1 or has_code(buf, 'DFL001'))
    end, 20)
    entry.diagnostics = diagnostics(buf)

    if index == 1 then
      -- Seed-like fixture: completion after `COPY --from=` (line 11) and hover on the image (line 9).
      local caps = client.server_capabilities or {}
      entry.completion_advertised = caps.completionProvider ~= nil
      entry.hover_advertised = caps.hoverProvider ~= nil and caps.hoverProvider ~= false
      -- Like Neovim's own mappings, ask only for what the server advertised.
      local resp = entry.completion_advertised and request_sync(client, 'textDocument/completion', {
        textDocument = { uri = uri },
        position = { line = 11, character = 12 },
      }, buf) or nil
      local labels = {}
      if resp and resp.result then
        local items = resp.result.items or resp.result
        for _, item in ipairs(items) do
          table.insert(labels, item.label)
        end
      end
      entry.completion_error = resp and resp.err and vim.inspect(resp.err) or vim.NIL
      entry.completion_labels = labels
      local hover = entry.hover_advertised and request_sync(client, 'textDocument/hover', {
        textDocument = { uri = uri },
        position = { line = 9, character = 6 },
      }, buf) or nil
      entry.hover_error = hover and hover.err and vim.inspect(hover.err) or vim.NIL
      entry.hover = hover and hover_text(hover.result) or vim.NIL
    end

    -- Edit the buffer (didChange) and wait for the new error on the appended line.
    local last = vim.api.nvim_buf_line_count(buf)
    vim.api.nvim_buf_set_lines(buf, last, last, false, { 'RUNN x' })
    entry.appended_line = last
    entry.got_edit_diagnostic = vim.wait(timeout, function()
      return has_code(buf, 'DFL001', last)
    end, 20)
    entry.diagnostics_after_edit = diagnostics(buf)
  end
end

local ok, err = pcall(run)
if not ok then
  result.error = tostring(err)
end
local f = assert(io.open(out_path, 'w'))
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qall!')
