# The example host keeps no tables of its own: the content generation its page cache reads
# belongs to the plugin (buddypages.core.generation).
