# devices objects
