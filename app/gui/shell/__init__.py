"""The window: menus, actions, tabs, files, and the feature modules that own their actions."""
