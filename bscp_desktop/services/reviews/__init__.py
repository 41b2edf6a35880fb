"""Reviews and their publication: holds, the checklist, slippage, Panel notices, actions, themes."""
