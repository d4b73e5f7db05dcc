"""The browser app (``commsim viz``): Mesa's SolaraViz with the operator's levers as sliders.

``app.py`` is the Solara page and is only run by the Solara server, never imported by the model;
``controls.py`` and ``network.py`` hold the parts that can be tested without a browser.
"""

from pathlib import Path

APP_PATH = Path(__file__).with_name("app.py")

