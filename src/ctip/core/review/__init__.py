"""Review and validation of deliverables (issue 9), without the database: structured snapshots of a
deliverable's content and the differences between two versions."""
