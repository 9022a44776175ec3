"""One process (or the buying group) drawn: the scene, its items, the view and the edge geometry."""
