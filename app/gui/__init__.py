"""The desktop application (Qt). Layers, top to bottom: shell, then canvas and panels, then
workspace, then common; each imports only from the layers below it (import-linter checks)."""
