export { timeCapture } from './time-capture';
