" ALE linter for dockerfile-lsp (language server over stdio).
" Install: copy to ~/.vim/ale_linters/dockerfile/dockerfile_lsp.vim (or add editors/vim to
" 'runtimepath'), then e.g. let g:ale_linters = {'dockerfile': ['dockerfile_lsp']}.
" Options:
"   g:ale_dockerfile_dockerfile_lsp_executable  (default 'dockerfile-lsp')
"   g:ale_dockerfile_dockerfile_lsp_config      the server settings object (rules, ignore, ...)

call ale#Set('dockerfile_dockerfile_lsp_executable', 'dockerfile-lsp')
call ale#Set('dockerfile_dockerfile_lsp_config', {})

function! ale_linters#dockerfile#dockerfile_lsp#GetProjectRoot(buffer) abort
    for l:marker in ['dockerfile-lsp.toml', '.hadolint.yaml', '.hadolint.yml']
        let l:file = ale#path#FindNearestFile(a:buffer, l:marker)

        if !empty(l:file)
            return fnamemodify(l:file, ':h')
        endif
    endfor

    let l:git = ale#path#FindNearestDirectory(a:buffer, '.git')

    if !empty(l:git)
        return fnamemodify(l:git, ':h:h')
    endif

    " ALE starts no LSP without a root: fall back to the file's directory.
    return expand('#' . a:buffer . ':p:h')
endfunction

call ale#linter#Define('dockerfile', {
\   'name': 'dockerfile_lsp',
\   'lsp': 'stdio',
\   'executable': {b -> ale#Var(b, 'dockerfile_dockerfile_lsp_executable')},
\   'command': '%e serve',
\   'project_root': function('ale_linters#dockerfile#dockerfile_lsp#GetProjectRoot'),
\   'initialization_options': {b -> ale#Var(b, 'dockerfile_dockerfile_lsp_config')},
\   'lsp_config': {b -> {'dockerfile-lsp': ale#Var(b, 'dockerfile_dockerfile_lsp_config')}},
\})
