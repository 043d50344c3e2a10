"""Embeddable widgets: ``/embed.js`` and the frames it shows on other sites (the sign-up
form of a programme, the activity calendar, the tip of the week)."""
