"""Files and the outside world (CSV, XLSX, JSON backups, documents). Still no Django."""
