;;; eglot-test.el --- Batch test: Eglot + dockerfile-lsp show our diagnostics in Flymake  -*- lexical-binding: t; -*-
;; emacs --batch -Q -l eglot-test.el   with DFLSP_SERVER, DFLSP_FILE, DFLSP_OUT, DFLSP_EMACS_DIR.
(require 'package)
;; -Q skips Debian's site setup; its ELPA packages (elpa-eglot, elpa-dockerfile-mode) live here.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'json)
(require 'dockerfile-mode)
(let ((server (getenv "DFLSP_SERVER")))
  (add-to-list 'exec-path (file-name-directory server))
  (load (expand-file-name "dockerfile-lsp-eglot.el" (getenv "DFLSP_EMACS_DIR")))
  ;; The shipped snippet starts "dockerfile-lsp"; point it at the binary under test.
  (setcdr (assoc '(dockerfile-ts-mode dockerfile-mode) eglot-server-programs)
          (append (list server) (cdr (cdr (assoc '(dockerfile-ts-mode dockerfile-mode) eglot-server-programs))))))
(setq eglot-sync-connect t eglot-connect-timeout 20)

(defvar dflsp--published '() "Raw LSP diagnostics as the server sent them, newest first.")
(cl-defmethod eglot-handle-notification :before
  (_server (_method (eql textDocument/publishDiagnostics)) &key uri diagnostics &allow-other-keys)
  (push (cons uri diagnostics) dflsp--published))

(defun dflsp--raw ()
  (mapcar (lambda (d) (list (cons 'code (plist-get d :code))
                            (cons 'source (plist-get d :source))
                            (cons 'line (plist-get (plist-get (plist-get d :range) :start) :line))))
          (cdr (car dflsp--published))))

(defun dflsp--diags ()
  (mapcar (lambda (d)
            (list (cons 'line (line-number-at-pos (flymake-diagnostic-beg d)))
                  (cons 'type (format "%s" (flymake-diagnostic-type d)))
                  (cons 'text (flymake-diagnostic-text d))))
          (flymake-diagnostics)))

(defun dflsp--wait (pred seconds)
  (let ((deadline (+ (float-time) seconds)) ok)
    (while (and (not (setq ok (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.1)
      (when (bound-and-true-p flymake-mode) (flymake-start)))
    ok))

(let* ((result '()) (file (getenv "DFLSP_FILE")))
  (condition-case err
      (progn
        (find-file file)
        (push (cons 'major_mode (symbol-name major-mode)) result)
        ;; The snippet's hook ran `eglot-ensure', which connects after the next command; batch
        ;; mode runs no commands, so connect the way `M-x eglot' does.
        (unless (eglot-current-server)
          (apply #'eglot (eglot--guess-contact)))
        (push (cons 'managed (and (dflsp--wait (lambda () (eglot-current-server)) 20) t)) result)
        (push (cons 'got_publish (and (dflsp--wait (lambda () dflsp--published) 20) t)) result)
        ;; Flymake shows them once its backend ran.
        (push (cons 'flymake_shown (and (dflsp--wait (lambda () (flymake-diagnostics)) 10) t)) result)
        (push (cons 'lsp_diagnostics (dflsp--raw)) result)
        (push (cons 'flymake_diagnostics (dflsp--diags)) result)
        (let ((server (eglot-current-server)))
          (when server
            (push (cons 'server_name (format "%s" (plist-get (eglot--server-info server) :name))) result)
            (eglot-shutdown server))))
    (error (push (cons 'error (format "%S" err)) result)))
  (with-temp-file (getenv "DFLSP_OUT")
    (insert (json-encode result)))
  (kill-emacs 0))
