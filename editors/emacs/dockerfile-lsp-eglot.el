;;; dockerfile-lsp-eglot.el --- Use dockerfile-lsp with Eglot  -*- lexical-binding: t; -*-

;; Put this in your init file (or load this file).  Needs Eglot (built in since Emacs 29,
;; `elpa-eglot' / GNU ELPA for Emacs 26.3-28) and a Dockerfile major mode: `dockerfile-ts-mode'
;; (Emacs 29+) or `dockerfile-mode' (MELPA/NonGNU ELPA, Debian `elpa-dockerfile-mode').

;;; Code:

(require 'eglot)

(defvar dockerfile-lsp-settings
  '(:rules (:DL3008 "off")
    :ignore []
    :trustedRegistries []
    :failureThreshold "warning"
    :shellcheck t)
  "The dockerfile-lsp settings object (plist; JSON arrays as vectors, false as :json-false).")

;; Start `dockerfile-lsp serve' for Dockerfiles; the settings go in as initializationOptions...
(add-to-list 'eglot-server-programs
             `((dockerfile-ts-mode dockerfile-mode)
               . ("dockerfile-lsp" "serve"
                  :initializationOptions ,dockerfile-lsp-settings)))

;; ...and answer workspace/configuration for the `dockerfile-lsp' section.  (Per project,
;; put `((nil . ((eglot-workspace-configuration . (:dockerfile-lsp (...)))))) in .dir-locals.el.)
(setq-default eglot-workspace-configuration
              (plist-put (copy-tree (default-value 'eglot-workspace-configuration))
                         :dockerfile-lsp dockerfile-lsp-settings))

;; Start automatically:
(add-hook 'dockerfile-mode-hook #'eglot-ensure)
(when (fboundp 'dockerfile-ts-mode)
  (add-hook 'dockerfile-ts-mode-hook #'eglot-ensure))

(provide 'dockerfile-lsp-eglot)
;;; dockerfile-lsp-eglot.el ends here
