"""The QI toolkit beyond the driver diagram: fishbone, process map, Pareto, stakeholders."""
