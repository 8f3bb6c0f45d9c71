"""What qi tells about a project or a portfolio, as data every output format renders."""
