from tests.plugins.workflow.conftest import units  # noqa: F401  (people, units, groups, a fixed day)
