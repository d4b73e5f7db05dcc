"""The browser app (``commsim viz``): Mesa's SolaraViz with the operator's levers as sliders.

``app.py`` is the Solara page and is only run by the Solara server, never imported by the model;
so is ``compare_app.py``, the two-arm classroom app (``commsim viz --compare A B``), whose
arithmetic is in ``compare.py``. ``controls.py`` and ``network.py`` hold the parts that can be
tested without a browser.
"""

from pathlib import Path

APP_PATH = Path(__file__).with_name("app.py")
COMPARE_APP_PATH = Path(__file__).with_name("compare_app.py")  # commsim viz --compare A B

