"""Programme pages, the home page and Dutch language tips: the pages editors write and
translate, their blocks, the snippets they share (partners, tip themes, interests) and the
page mixins every context's pages use. Imports only ``buddypages.core``."""
