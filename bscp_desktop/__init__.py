"""bscp-desktop: the serious incident register, statutory clocks, publication catalogue and archive
requests of a Local Safeguarding Children Partnership, as a desktop application.

The package is layered ``ui → services → models/store → calendar/rules``; nothing outside ``ui`` imports Qt.
"""

__version__ = "0.1.0"
APP_NAME = "bscp-desktop"
APP_TITLE = "BSCP Desktop"
