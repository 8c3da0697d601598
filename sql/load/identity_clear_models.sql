-- The models catalogue is rebuilt on every refresh from the seeds and the data.
DELETE FROM models;
