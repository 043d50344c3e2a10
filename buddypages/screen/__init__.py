"""The waiting-room screen: ``/<lang>/screen/``, the next activities, the tip of the week and
a QR code to the sign-up page, rotating, refreshing itself and surviving a network outage."""
