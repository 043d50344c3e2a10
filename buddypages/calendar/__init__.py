"""The activity calendar: calendar and activity pages, recurring occurrences, iCalendar
feeds and sign-ups with capacity and a waiting list. Imports ``buddypages.pages`` and
``buddypages.core`` only."""
