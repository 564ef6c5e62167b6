" dockerfile-lsp for prabirshrestha/vim-lsp. Put in your vimrc (after vim-lsp is loaded).
" Not tested here: vim-lsp is not packaged in Debian, so only the ALE integration has a test.
let g:dockerfile_lsp_settings = {
      \ 'rules': {},
      \ 'ignore': [],
      \ 'trustedRegistries': [],
      \ 'failureThreshold': 'warning',
      \ 'shellcheck': v:true,
      \ }

function! s:dockerfile_lsp_root(server_info) abort
  let l:dir = lsp#utils#find_nearest_parent_file_directory(
        \ lsp#utils#get_buffer_path(), ['dockerfile-lsp.toml', '.hadolint.yaml', '.git/'])
  return lsp#utils#path_to_uri(empty(l:dir) ? expand('%:p:h') : l:dir)
endfunction

if executable('dockerfile-lsp')
  augroup dockerfile_lsp
    autocmd!
    autocmd User lsp_setup call lsp#register_server({
          \ 'name': 'dockerfile-lsp',
          \ 'cmd': {server_info -> ['dockerfile-lsp', 'serve']},
          \ 'root_uri': function('s:dockerfile_lsp_root'),
          \ 'allowlist': ['dockerfile'],
          \ 'initialization_options': g:dockerfile_lsp_settings,
          \ 'workspace_config': {'dockerfile-lsp': g:dockerfile_lsp_settings},
          \ })
  augroup END
endif
