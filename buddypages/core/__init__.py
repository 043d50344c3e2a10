"""Shared helpers of the plugin, the bottom layer: every context may use them; they import
nothing from the contexts above (pages, calendar, registry, duos) nor from any host."""
