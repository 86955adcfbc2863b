export { timeCapture } from './time-capture';
export { clioSession } from './clio-session';
export { deliverEvent } from './deliver-event';
