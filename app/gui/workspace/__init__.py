"""What the whole GUI shares: the document, the undo editor, the selection and the derived state."""
