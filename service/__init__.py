"""Running the system: process orchestration, the widget's web server, benchmarks."""
