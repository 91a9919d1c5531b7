"""The guide's Pelican plugins. A package, so that they can share plugin_kit."""
