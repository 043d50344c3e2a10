# Newsletter models arrive with the newsletter issues (#7, #8).
