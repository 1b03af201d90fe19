"""Running the system: process orchestration and the widget's web server."""
