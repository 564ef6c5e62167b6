" Loaded with: vim -N -u ale-test.vim -i NONE FILE  (inside tmux, so Vim has a terminal)
" Env: DFLSP_ALE_DIR (ALE), DFLSP_VIM_DIR (editors/vim), DFLSP_SERVER, DFLSP_OUT.
set nocompatible
let &runtimepath = $DFLSP_VIM_DIR . ',' . $DFLSP_ALE_DIR . ',' . &runtimepath
filetype plugin on
let g:ale_linters = {'dockerfile': ['dockerfile_lsp']}
let g:ale_linters_explicit = 1
let g:ale_dockerfile_dockerfile_lsp_executable = $DFLSP_SERVER
let g:ale_dockerfile_dockerfile_lsp_config = {'rules': {'DL3008': 'off'}, 'ignore': ['DL3059']}
let g:ale_lint_on_enter = 1
let s:start = reltime()

function! s:Write(result) abort
    call writefile([json_encode(a:result)], $DFLSP_OUT)
    qall!
endfunction

function! DflspCheck(timer) abort
    try
        let l:items = ale#engine#GetLoclist(bufnr(''))
        let l:done = !empty(filter(copy(l:items), {_, i -> get(i, 'code', '') is# 'DFL001'}))
        if l:done || reltimefloat(reltime(s:start)) > 30
            let l:out = []
            for l:i in l:items
                call add(l:out, {'lnum': l:i.lnum, 'col': get(l:i, 'col', 0), 'code': get(l:i, 'code', ''),
                \   'type': get(l:i, 'type', ''), 'text': l:i.text, 'linter': get(l:i, 'linter_name', '')})
            endfor
            call s:Write({'filetype': &filetype, 'items': l:out, 'timed_out': !l:done,
            \   'linters': map(ale#linter#Get(&filetype), 'v:val.name')})
        endif
    catch
        call s:Write({'error': v:exception . ' at ' . v:throwpoint})
    endtry
endfunction

call timer_start(200, 'DflspCheck', {'repeat': -1})
