"""The desktop application (Qt). Layers, top to bottom: shell, then canvas and panels, then
workspace, then common; each imports only from the layers below it (import-linter checks)."""

# The Qt-free modules the window needs at start, imported before Qt (this package's modules
# import PySide6): once loaded, shiboken reads the source of every module imported after it,
# looking for "PySide6" in it for its ``__feature__`` switches, which cost a cold start about
# 0.1 s of processor time for numpy, pydantic and the model (benchmarks/bench_startup.py).
import exporters.registry  # noqa: F401
import models.arrange
import models.company_view
import models.derived
import models.editing
import models.routing
import models.simulation.mc_results
import models.simulation.text
import models.storage
import models.templates  # noqa: F401
