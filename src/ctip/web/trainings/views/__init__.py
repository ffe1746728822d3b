"""Pages of the trainings app, one module per part: events (list, create, the event's page, edit, status,
attendance, certificates), participants (register, edit, sign-in sheet import), and the modules of the kit,
the tests, the imports and the results."""
